// Runs before the NHS.UK frontend starts (init.js): the error summary and a success banner take focus
// as the page loads. When the address still carries a fragment (#maincontent, after the skip link was
// used before a form was sent, and kept through the redirect), the browser applies that fragment once the
// page is parsed and moves focus back to the page itself. Dropping the fragment first lets the error
// summary or the banner keep focus, on every page.
const takesFocus = document.querySelector(
  '[data-module="nhsuk-error-summary"], [data-module="nhsuk-notification-banner"][role="alert"]',
);
if (takesFocus && window.location.hash) {
  window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
}
