/* Session time-out warning (WCAG 2.2.1 Timing Adjustable).
 *
 * The server ends a session after IDLE_TIMEOUT without a request. The page says how many seconds
 * are left (data-seconds-left); two minutes before the end this opens a modal dialog offering
 * "Stay signed in", which posts to /session/extend and starts the count again. At the end it says
 * the session has ended and links to sign in again. Without JavaScript nothing is shown. */
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) {
    return;
  }
  var form = dialog.querySelector("form");
  var endText = dialog.querySelector("[data-session-end]");
  var signIn = dialog.querySelector("[data-session-signin]");
  var warnBefore = Number(dialog.getAttribute("data-warn-seconds")) * 1000;
  var timers = [];
  var returnFocus = null;

  function clock(when) {
    return when.toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"});
  }

  function open() {
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
  }

  function arm(secondsLeft) {
    timers.forEach(clearTimeout);
    var left = secondsLeft * 1000;
    var deadline = new Date(Date.now() + left);
    timers = [
      setTimeout(function () {
        endText.textContent = clock(deadline);
        dialog.classList.remove("session-warning--ended");
        open();
        form.querySelector("button").focus();
      }, Math.max(0, left - warnBefore)),
      setTimeout(ended, left)
    ];
  }

  function ended() {
    timers.forEach(clearTimeout);
    dialog.classList.add("session-warning--ended");
    open();
    signIn.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "application/json"}, redirect: "manual"})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        dialog.close();
        arm(data.seconds_left);
        if (returnFocus && typeof returnFocus.focus === "function") { returnFocus.focus(); }
      })
      .catch(ended);
  });

  arm(Number(dialog.getAttribute("data-seconds-left")));
}());
