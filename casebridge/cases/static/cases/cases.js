// htmx leaves 4xx answers unswapped. A case form answers 400 (or 409 when the case changed
// meanwhile) with the page and the form open at its errors, so those are swapped in like a 200.
if (!window.casebridgeCasesReady) {
  window.casebridgeCasesReady = true;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
}
