/* GOV.UK Frontend's template marks the body inline; the Content-Security-Policy allows no inline
 * script, so the same line is this file, loaded (without defer) as the body's first element.
 * The components' JavaScript and their script-only styles start only where this class is set. */
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
