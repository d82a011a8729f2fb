// Runs first thing in <body>: the NHS.UK frontend styles its components for JavaScript from these classes.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
