// The GOV.UK error pattern in the browser (docs/forms.md). The server renders the error summary
// (data-error-summary, holding the title's prefix "Error:") and says "Error:" in a whole page's
// title; this moves the focus to the summary when a page or an htmx swap shows one, so a screen
// reader reads it first and the keyboard starts there; keeps the title's prefix right after an
// htmx swap; and makes a summary link bring its field into view with the field focused.
(function () {
  "use strict";
  if (window.casebridgeFormsReady) { return; }
  window.casebridgeFormsReady = true;
  var SUMMARY = "[data-error-summary]";
  var shownPrefix = "";  // the prefix this script put (or found) in the title

  function summaryIn(root) {
    if (!root || !root.querySelector) { return null; }
    return root.matches && root.matches(SUMMARY) ? root : root.querySelector(SUMMARY);
  }

  function openAround(element) {
    // A form folded in a closed <details> is opened, or the focus would go nowhere visible.
    for (var node = element.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
  }

  function focusSummary(root) {
    var summary = summaryIn(root);
    if (!summary) { return; }
    openAround(summary);
    summary.focus();
  }

  function syncTitle() {
    var summary = summaryIn(document.body);
    var title = document.title;
    var prefix = summary ? summary.getAttribute("data-error-summary") + " " : "";
    if (!shownPrefix && summary && title.indexOf(prefix) === 0) { shownPrefix = prefix; }
    if (shownPrefix && title.indexOf(shownPrefix) === 0) { title = title.slice(shownPrefix.length); }
    document.title = prefix + title;
    shownPrefix = prefix;
  }

  document.addEventListener("DOMContentLoaded", function () {
    syncTitle();
    focusSummary(document.body);
  });

  // htmx:load is fired on every element an htmx swap adds: a form that came back with its
  // errors brings its summary, which takes the focus; a swap elsewhere leaves the focus alone.
  document.addEventListener("htmx:load", function (event) {
    if (event.target === document.body) { return; }  // the page itself: DOMContentLoaded above
    syncTitle();
    focusSummary(event.target);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(SUMMARY + " a[href^='#']") : null;
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    openAround(field);
    // The question (the label, or the legend of a group) in view above the field, as GOV.UK does.
    var fieldset = field.closest("fieldset");
    var question = document.querySelector("label[for='" + field.id + "']") ||
      (fieldset ? fieldset.querySelector("legend") : null) || field;
    question.scrollIntoView();
    field.focus({ preventScroll: true });
  });
}());
