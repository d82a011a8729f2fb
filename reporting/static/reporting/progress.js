// A Year in Review run's result, filled in when academy/progress.js sees it finish: the download link,
// or why it failed and whether it will be tried again.
document.getElementById("run-progress")?.addEventListener("progress:finished", ({ detail: run }) => {
  if (run.status === "succeeded") {
    if (run.download_url) document.getElementById("run-download").href = run.download_url;
    return;
  }
  if (run.error) document.getElementById("run-error").textContent = run.error;
  document.getElementById("run-retrying").hidden = run.stage === "Failed";
});
