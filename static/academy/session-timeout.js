// The warning before a signed-in session ends for inactivity (WCAG 2.2.1, timing adjustable).
//
// The layout includes the dialog (jinja2/includes/session_timeout.html) for signed-in people only, with
// the timings on it: data-expires-in (seconds until the session ends if nothing happens) and
// data-warn-before (how long before that to warn). The dialog is an alert dialog: it takes focus on
// "Stay signed in", keeps Tab inside itself while open and gives focus back where it was. "Stay signed
// in" (or Escape) asks the server to refresh the session; at zero the page signs out and says why.
// Tabs of the portal share the end time, so an active tab keeps an idle one from signing out.

const dialog = document.querySelector("[data-session-timeout]");
const SHARED_END_KEY = "academy-session-ends-at";

function inWords(seconds) {
  if (seconds > 60) return `${Math.ceil(seconds / 60)} minutes`;
  if (seconds === 60) return "1 minute";
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

function startSessionTimeout(dialog) {
  const expiresIn = Number(dialog.dataset.expiresIn);
  const warnBefore = Number(dialog.dataset.warnBefore);
  const stayButton = dialog.querySelector("[data-session-timeout-stay]");
  const signOutLink = dialog.querySelector("[data-session-timeout-sign-out]");
  const countdown = dialog.querySelector("[data-session-timeout-countdown]");
  const announcement = dialog.querySelector("[data-session-timeout-announcement]");
  const endedForm = dialog.querySelector("[data-session-timeout-ended]");
  const signOutForm = dialog.querySelector("[data-session-timeout-sign-out-form]");
  const csrfToken = dialog.querySelector("input[name='csrfmiddlewaretoken']").value;
  let endsAt = 0;
  let returnFocusTo = null;
  let ended = false;

  function setEnd(secondsFromNow) {
    endsAt = Date.now() + secondsFromNow * 1000;
    try {
      window.localStorage.setItem(SHARED_END_KEY, String(endsAt));
    } catch {
      // Storage can be refused (private windows): this tab keeps its own time.
    }
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
  }

  function open() {
    returnFocusTo = document.activeElement;
    dialog.showModal();
    stayButton.focus();
  }

  function close() {
    if (!dialog.open) return;
    dialog.close();
    announcement.textContent = "";
    if (returnFocusTo && document.contains(returnFocusTo)) returnFocusTo.focus();
    returnFocusTo = null;
  }

  function end() {
    if (ended) return;
    ended = true;
    endedForm.elements.next.value = window.location.pathname + window.location.search;
    endedForm.submit();
  }

  async function stay() {
    let response;
    try {
      response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
    } catch {
      return; // offline for now: the dialog stays open and the next press tries again
    }
    if (response.status !== 204) {
      end(); // the session had already ended
      return;
    }
    setEnd(Number(response.headers.get("Session-Expires-In")) || expiresIn);
    close();
  }

  function tick() {
    const left = secondsLeft();
    if (left <= 0) {
      end();
      return;
    }
    if (left > warnBefore) {
      close();
      return;
    }
    countdown.textContent = inWords(left);
    if (!dialog.open) {
      open();
    } else if (left === 60 || left === 30 || left === 10) {
      announcement.textContent = `We will sign you out in ${inWords(left)}.`;
    }
  }

  stayButton.addEventListener("click", stay);
  signOutLink.addEventListener("click", (event) => {
    event.preventDefault();
    signOutForm.submit();
  });
  // Escape means "not now": stay signed in, as closing the warning would suggest.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  // Tab and Shift+Tab go round the dialog's own controls while it is open.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Tab") return;
    const controls = [stayButton, signOutLink];
    const index = controls.indexOf(document.activeElement);
    const next = (index + (event.shiftKey ? controls.length - 1 : 1)) % controls.length;
    event.preventDefault();
    controls[index === -1 ? 0 : next].focus();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === SHARED_END_KEY && event.newValue) {
      endsAt = Number(event.newValue);
      tick();
    }
  });

  setEnd(expiresIn);
  window.setInterval(tick, 1000);
}

if (dialog) startSessionTimeout(dialog);
