// A large import's outcome, filled in when progress.js sees it finish: the sentence saying what was
// imported, or every reason nothing was.
document.getElementById("import-progress")?.addEventListener("progress:finished", ({ detail: run }) => {
  if (run.status === "succeeded") {
    document.getElementById("import-outcome").textContent = run.outcome;
    return;
  }
  document.getElementById("import-errors").replaceChildren(
    ...(run.errors.length ? run.errors : [run.outcome]).map((message) => {
      const item = document.createElement("li");
      item.textContent = message;
      return item;
    }),
  );
});
