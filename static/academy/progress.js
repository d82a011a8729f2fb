// Follows long work (a large import, a Year in Review run) on its progress page: polls its status every
// 2 seconds, moves the bar and announces the stage (a polite live region). When the work finishes the
// outcome is shown in place, without a reload: the heading changes, the page's own script fills in the
// part for how it ended (a "progress:finished" event on the root, with the status), that part is shown
// and focus moves to its [data-progress-focus] element. Without JavaScript the page's meta refresh
// (inside <noscript>) reloads it instead.
//
// The page marks its parts with data-progress: "root" (with data-status-url and data-finished), "bar",
// "stage", "heading" (with data-succeeded and data-failed), "waiting", "succeeded" and "failed".
const root = part("root");

function part(name) {
  return document.querySelector(`[data-progress="${name}"]`);
}

function finish(run) {
  const succeeded = run.status === "succeeded";
  const heading = part("heading");
  const text = succeeded ? heading.dataset.succeeded : heading.dataset.failed;
  document.title = document.title.replace(heading.textContent, text);
  heading.textContent = text;
  part("waiting").hidden = true;
  if (!succeeded) part("bar").classList.add("academy-progress--failed");
  root.dispatchEvent(new CustomEvent("progress:finished", { detail: run }));
  const outcome = part(succeeded ? "succeeded" : "failed");
  outcome.hidden = false;
  outcome.querySelector("[data-progress-focus]").focus();
}

function poll() {
  fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((run) => {
      const bar = part("bar");
      bar.value = run.progress;
      bar.setAttribute("aria-valuenow", run.progress);
      bar.textContent = `${run.progress}%`;
      part("stage").textContent = `${run.stage} (${run.progress}%)`;
      if (run.finished) {
        finish(run);
        return;
      }
      window.setTimeout(poll, 2000);
    })
    .catch(() => window.setTimeout(poll, 5000));
}

if (root && root.dataset.finished !== "true") {
  window.setTimeout(poll, 1000);
}
