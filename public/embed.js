// Tradeoffs embeds. Add this script once to any page, then write
//   <tradeoffs-widget name="retry-storm" clients="500"></tradeoffs-widget>
// Attributes use the same names as a share link's settings; bad values are clamped with a note.
// Each widget's wasm bundle is fetched once per page however many elements use it. A widget
// renders in a shadow root with its own stylesheet (the host's CSS cannot reach it, and its CSS
// cannot reach the host), follows the reader's light/dark preference unless `theme="light|dark"`
// is set, and pauses while off screen or while the tab is hidden.
// The script also sizes <iframe data-tradeoffs> embeds from the height messages they post.
(function () {
  'use strict';
  if (!window.customElements || window.customElements.get('tradeoffs-widget')) return;
  var script = document.currentScript;
  var BASE = new URL('.', script && script.src ? script.src : window.location.href).href;
  var WIDGETS = /*WIDGETS*/[];
  var NOT_SETTINGS = ['name', 'theme', 'id', 'class', 'style', 'slot', 'title', 'lang', 'dir', 'hidden', 'tabindex'];
  var bundles = {};

  function load(name) {
    if (!bundles[name]) {
      var dir = BASE + 'b/w-' + name + '/';
      bundles[name] = import(dir + 'tradeoffs.js').then(function (m) {
        return m.default({ module_or_path: dir + 'tradeoffs_bg.wasm' }).then(function () { return m; });
      });
    }
    return bundles[name];
  }

  function settings(el) {
    var parts = [];
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i];
      if (NOT_SETTINGS.indexOf(a.name) >= 0 || a.name.indexOf('data-') === 0 || a.name.indexOf('aria-') === 0) continue;
      parts.push(encodeURIComponent(a.name) + '=' + encodeURIComponent(a.value));
    }
    return parts.join('&');
  }

  class TradeoffsWidget extends HTMLElement {
    static get observedAttributes() { return ['theme']; }

    connectedCallback() {
      if (!this.shadowRoot) {
        var shadow = this.attachShadow({ mode: 'open' });
        var link = document.createElement('link');
        link.rel = 'stylesheet';
        // The widget's own stylesheet (only the rules it uses); for a name we do not know, the
        // shared one with the error box's styles.
        var known = WIDGETS.indexOf(this.getAttribute('name') || '') >= 0;
        link.href = BASE + (known ? 'b/w-' + this.getAttribute('name') + '/' : '') + 'widget.css';
        this._root = document.createElement('div');
        this._root.className = 'tw-root';
        this._root.hidden = true; // until the stylesheet has loaded
        shadow.append(link, this._root);
        this._styled = new Promise(function (done) { link.onload = done; link.onerror = done; });
        this._theme();
      }
      if (this._mounted || this._loading) return;
      var self = this, root = this._root, name = this.getAttribute('name') || '';
      function message(text, cls) {
        var p = document.createElement('p');
        p.className = cls;
        p.textContent = text; // text, never HTML
        root.replaceChildren(p);
        root.hidden = false;
      }
      if (WIDGETS.indexOf(name) < 0) {
        this._styled.then(function () {
          message('There is no Tradeoffs widget called \u201c' + name + '\u201d. Known: ' + WIDGETS.join(', ') + '.', 'tw-error');
        });
        return;
      }
      this._loading = true;
      Promise.all([load(name), this._styled]).then(function (r) {
        self._loading = false;
        root.hidden = false;
        if (self.isConnected && !self._mounted) self._mounted = r[0].mount_widget(root, name, settings(self), BASE);
      }, function (e) {
        self._loading = false;
        message('This widget could not load (' + e + ').', 'tw-error');
      });
    }

    disconnectedCallback() {
      if (this._mounted) {
        this._mounted.unmount();
        this._mounted.free();
        this._mounted = null;
      }
    }

    attributeChangedCallback() {
      this._theme();
      window.dispatchEvent(new Event('tradeoffs-theme')); // charts redraw in the new colours
    }

    _theme() {
      if (!this._root) return;
      var t = this.getAttribute('theme');
      if (t === 'dark' || t === 'light') this._root.setAttribute('data-theme', t);
      else this._root.removeAttribute('data-theme');
    }
  }
  window.customElements.define('tradeoffs-widget', TradeoffsWidget);

  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || d.type !== 'tradeoffs:height' || !(d.height > 0)) return;
    var frames = document.querySelectorAll('iframe[data-tradeoffs]');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].style.height = Math.ceil(Math.min(d.height, 5000)) + 'px';
    }
  });
})();
