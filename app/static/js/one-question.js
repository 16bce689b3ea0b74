/* The attempt page on a phone: go to the one-question-a-screen pages (the link marked
 * data-one-question) instead of a long page of every question. The link is not marked when the
 * officer asked for the whole page or the page lists problems from a submission, so this never
 * loops; without JavaScript the link is there to follow. */
(function () {
  "use strict";
  var link = document.querySelector("[data-one-question] a");
  if (!link || !window.matchMedia) {
    return;
  }
  if (window.matchMedia("(max-width: 40.0625em)").matches) {
    window.location.replace(link.href);
  }
})();
