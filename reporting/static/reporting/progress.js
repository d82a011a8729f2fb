// Follows a Year in Review run on its progress page: polls its status every 2 seconds, moves the bar and
// updates the stage (a polite live region, so each stage is announced). When the run finishes the result
// is shown in place, without a reload: the heading changes and focus moves to the download link (or to
// why it failed). Without JavaScript the page's meta refresh (inside <noscript>) reloads it instead.
const root = document.getElementById("run-progress");

function show(id, shown) {
  document.getElementById(id).hidden = !shown;
}

function finish(run) {
  const heading = document.getElementById("run-heading");
  const ready = run.status === "succeeded";
  const text = ready ? heading.dataset.ready : heading.dataset.failed;
  document.title = document.title.replace(heading.textContent, text);
  heading.textContent = text;
  show("run-waiting", false);
  if (ready) {
    const link = document.getElementById("run-download");
    if (run.download_url) link.href = run.download_url;
    show("run-ready", true);
    link.focus();
  } else {
    document.getElementById("run-bar").classList.add("reporting-progress--failed");
    if (run.error) document.getElementById("run-error").textContent = run.error;
    show("run-retrying", run.stage !== "Failed");
    show("run-failed", true);
    document.getElementById("run-failed-heading").focus();
  }
}

function poll() {
  fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((run) => {
      const bar = document.getElementById("run-bar");
      bar.value = run.progress;
      bar.setAttribute("aria-valuenow", run.progress);
      bar.textContent = `${run.progress}%`;
      document.getElementById("run-stage").textContent = `${run.stage} (${run.progress}%)`;
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
