// Polls the run's status every 2 seconds and moves the bar; without JavaScript the page's meta refresh
// (inside <noscript>, so it never fires when this script runs) does it.
(function () {
  var root = document.getElementById("run-progress");
  if (!root || root.dataset.finished === "true") return;
  var bar = root.querySelector(".reporting-progress__bar");
  var meter = root.querySelector('[role="progressbar"]');
  var stage = document.getElementById("run-stage");
  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        bar.style.width = run.progress + "%";
        meter.setAttribute("aria-valuenow", run.progress);
        stage.textContent = run.stage + " (" + run.progress + "%)";
        if (run.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
