// Each <select data-autocomplete> becomes GOV.UK's accessible autocomplete: type part of a name or an
// ODS code ("RRK", "Dudley") and choose from the matches. The label, hint and error stay with the
// field (the input takes the select's id). Without JavaScript the select itself is used.
(function () {
  "use strict";
  if (!window.accessibleAutocomplete) return;
  document.querySelectorAll("select[data-autocomplete]").forEach(function (select) {
    var describedBy = select.getAttribute("aria-describedby");
    var invalid = select.classList.contains("nhsuk-select--error");
    window.accessibleAutocomplete.enhanceSelectElement({
      selectElement: select,
      defaultValue: "",
      minLength: 2,
      // No type-ahead hint: it is a second, unlabelled input that screen readers and axe trip over.
      autoselect: false,
      showNoOptionsFound: true,
      tNoResults: function () { return "No organisation matches: try another part of its name or its ODS code"; },
    });
    var input = document.getElementById(select.id);
    if (input && describedBy) input.setAttribute("aria-describedby", describedBy);
    if (input && invalid) input.classList.add("autocomplete__input--error");
  });
})();
