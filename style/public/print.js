// Print buttons without inline script (the page's CSP allows none): a click on any
// element marked data-print opens the browser's print dialog.
document.addEventListener('click', function (event) {
  if (event.target.closest && event.target.closest('[data-print]')) {
    window.print();
  }
});
