/* gongkai: restore the 大字模式 (large text, 适老化) before the first paint. The choice is kept in
   localStorage under the site root's path, like Material's palette; gongkai.js binds the toggle. */
(function () {
  try {
    var key = new URL("../../", document.currentScript.src).pathname + ".gk-text";
    if (localStorage.getItem(key) === "large") { document.documentElement.setAttribute("data-gk-text", "large"); }
  } catch (e) { /* no storage: normal text */ }
})();
