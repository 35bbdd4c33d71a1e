/* kanko text mode: remember that the reader prefers reflowed text; links marked data-kanko-mode switch back. */
(function () {
  function set(v) { try { localStorage.setItem('kanko-mode', v); } catch (e) { /* file:// or private mode */ } }
  set('text');
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('[data-kanko-mode]');
    if (a) set(a.getAttribute('data-kanko-mode'));
  });
})();
