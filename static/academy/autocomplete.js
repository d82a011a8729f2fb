// GOV.UK's accessible autocomplete, in two shapes. Type part of a name or an ODS code ("RRK", "Dudley")
// and choose from the matches; the label, hint and error stay with the field (the input keeps the
// field's id). Without JavaScript the field itself is used.
//  - <input data-organisation-search="URL">: the matches come from the server as the person types
//    (a region has hundreds of organisations: the page does not hold them all); without JavaScript
//    the typed name or code is matched when the form is sent.
//  - <select data-autocomplete>: a short list already on the page, enhanced in place.
(function () {
  "use strict";
  if (!window.accessibleAutocomplete) return;
  var NO_RESULTS = "No organisation matches: try another part of its name or its ODS code";

  function keepDescription(id, describedBy, invalid) {
    var input = document.getElementById(id);
    if (input && describedBy) input.setAttribute("aria-describedby", describedBy);
    if (input && invalid) input.classList.add("autocomplete__input--error");
  }

  document.querySelectorAll("input[data-organisation-search]").forEach(function (field) {
    var url = field.getAttribute("data-organisation-search");
    var describedBy = field.getAttribute("aria-describedby");
    var invalid = field.classList.contains("nhsuk-input--error");
    var wrapper = document.createElement("div");
    field.parentNode.insertBefore(wrapper, field);
    field.parentNode.removeChild(field);
    var asked = 0;
    window.accessibleAutocomplete({
      element: wrapper,
      id: field.id,
      name: field.name,
      defaultValue: field.value,
      minLength: 2,
      autoselect: false,
      showNoOptionsFound: true,
      tNoResults: function () { return NO_RESULTS; },
      source: function (query, populate) {
        var mine = ++asked;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (found) {
            // Only the answer to the latest question is shown (an earlier one may arrive later).
            if (mine === asked) populate(found.results.map(function (o) { return o.label; }));
          })
          .catch(function () { if (mine === asked) populate([]); });
      },
    });
    keepDescription(field.id, describedBy, invalid);
  });

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
      tNoResults: function () { return NO_RESULTS; },
    });
    keepDescription(select.id, describedBy, invalid);
  });
})();
