/* Wide tables (the table_scroller macro in app/templates/_forms.html): the line "Scroll sideways
 * to see the whole table" shows only above a table that does not fit, and follows the window's
 * width. Without JavaScript the shadows at the edges still show that there is more. */
(function () {
  "use strict";
  var scrollers = document.querySelectorAll("[data-table-scroller]");
  if (!scrollers.length) {
    return;
  }

  function update() {
    scrollers.forEach(function (scroller) {
      var region = scroller.querySelector("[role=region]");
      var hint = scroller.querySelector(".app-table-scroller__hint");
      if (region && hint) {
        hint.hidden = region.scrollWidth <= region.clientWidth + 1;
      }
    });
  }

  update();
  window.addEventListener("resize", update);
})();
