// Follows a large import on its progress page: polls its status every 2 seconds, moves the bar and
// announces the stage (a polite live region). When it finishes the outcome is shown in place and focus
// moves to it. Without JavaScript the page's meta refresh (inside <noscript>) reloads it instead.
const root = document.getElementById("import-progress");

function finish(run) {
  const heading = document.getElementById("import-heading");
  const text = run.status === "succeeded" ? heading.dataset.succeeded : heading.dataset.failed;
  document.title = document.title.replace(heading.textContent, text);
  heading.textContent = text;
  document.getElementById("import-waiting").hidden = true;
  if (run.status === "succeeded") {
    document.getElementById("import-outcome").textContent = run.outcome;
    document.getElementById("import-succeeded").hidden = false;
    document.getElementById("import-continue").focus();
  } else {
    document.getElementById("import-bar").classList.add("academy-progress--failed");
    const list = document.getElementById("import-errors");
    list.replaceChildren(
      ...(run.errors.length ? run.errors : [run.outcome]).map((message) => {
        const item = document.createElement("li");
        item.textContent = message;
        return item;
      }),
    );
    document.getElementById("import-failed").hidden = false;
    document.getElementById("import-failed-heading").focus();
  }
}

function poll() {
  fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((run) => {
      const bar = document.getElementById("import-bar");
      bar.value = run.progress;
      bar.textContent = `${run.progress}%`;
      document.getElementById("import-stage").textContent = `${run.stage} (${run.progress}%)`;
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
