// Material uploads on a case page, and photos on the feedback form. Without this script the form posts the chosen
// files as they are. With it, picking files starts the upload at once: large photos
// are downscaled in the browser first (longest side 2000 px, JPEG), each file goes up
// on its own request with a progress bar, a failed one can be retried without losing
// the others, and the page reloads to show the thumbnails when all are done.
(function () {
  'use strict';
  var MAX_SIDE = 2000;
  var RESIZE_OVER_BYTES = 1500 * 1024;

  function downscale(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || typeof createImageBitmap !== 'function') {
      return Promise.resolve(file);
    }
    return createImageBitmap(file).then(function (bitmap) {
      var longest = Math.max(bitmap.width, bitmap.height);
      if (longest <= MAX_SIDE && file.size <= RESIZE_OVER_BYTES) {
        return file;
      }
      var scale = Math.min(1, MAX_SIDE / longest);
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
          resolve(new File([blob], name, { type: 'image/jpeg' }));
        }, 'image/jpeg', 0.85);
      });
    }, function () { return file; });
  }

  function message(xhr) {
    try {
      var body = JSON.parse(xhr.responseText);
      if (body.error && body.error.Rejected) { return body.error.Rejected.join('；'); }
      if (body.message) { return body.message; }
    } catch (e) { /* not JSON */ }
    return xhr.status === 0 ? '网络异常，请检查网络后重试' : '上传失败（' + xhr.status + '）';
  }

  function send(form, row, file) {
    var bar = row.querySelector('progress');
    var status = row.querySelector('.upload-status');
    var retry = row.querySelector('.upload-retry');
    retry.hidden = true;
    status.textContent = '0%';
    return new Promise(function (resolve) {
      var data = new FormData();
      data.append('file', file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          bar.value = Math.round((e.loaded / e.total) * 100);
          status.textContent = bar.value + '%';
        }
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          status.textContent = '已上传';
          row.classList.add('done');
          resolve(true);
        } else {
          status.textContent = message(xhr);
          row.classList.add('failed');
          retry.hidden = false;
          resolve(false);
        }
      };
      xhr.onerror = function () {
        status.textContent = message(xhr);
        row.classList.add('failed');
        retry.hidden = false;
        resolve(false);
      };
      xhr.send(data);
    });
  }

  function start(form, files) {
    var list = form.querySelector('.upload-list');
    var pending = files.length;
    var failed = 0;
    function finished(ok) {
      pending -= 1;
      if (!ok) { failed += 1; }
      if (pending === 0 && failed === 0) { window.location.reload(); }
    }
    files.forEach(function (original) {
      var row = document.createElement('li');
      row.className = 'upload-row';
      row.innerHTML = '<span class="upload-name"></span><progress max="100" value="0"></progress>' +
        '<span class="upload-status">准备中…</span><button type="button" class="btn btn-small upload-retry" hidden></button>';
      row.querySelector('.upload-name').textContent = original.name;
      row.querySelector('.upload-retry').textContent = list.getAttribute('data-retry') || '重试';
      list.appendChild(row);
      downscale(original).then(function (file) {
        row.querySelector('.upload-retry').onclick = function () {
          row.classList.remove('failed');
          failed -= 1;
          pending += 1;
          send(form, row, file).then(finished);
        };
        return send(form, row, file);
      }).then(finished);
    });
  }

  function wire(form) {
    if (form.getAttribute('data-wired')) { return; }
    form.setAttribute('data-wired', '1');
    var input = form.querySelector('input[type=file]');
    var submit = form.querySelector('.upload-submit');
    if (submit) { submit.hidden = true; }
    input.addEventListener('change', function () {
      var files = Array.prototype.slice.call(input.files);
      input.value = '';
      if (files.length) { start(form, files); }
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var files = Array.prototype.slice.call(input.files);
      if (files.length) { start(form, files); }
    });
  }

  // A whole form with photos (feedback): on submit, large photos are downscaled in
  // place, then the form posts as usual.
  function wireDownscale(form) {
    if (form.getAttribute('data-wired')) { return; }
    form.setAttribute('data-wired', '1');
    form.addEventListener('submit', function (e) {
      if (form.getAttribute('data-ready') || typeof DataTransfer !== 'function') { return; }
      e.preventDefault();
      var button = form.querySelector('[type=submit]');
      if (button) { button.disabled = true; }
      var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type=file]'));
      Promise.all(inputs.map(function (input) {
        return Promise.all(Array.prototype.map.call(input.files, downscale)).then(function (files) {
          var dt = new DataTransfer();
          files.forEach(function (f) { dt.items.add(f); });
          input.files = dt.files;
        });
      })).then(function () {
        form.setAttribute('data-ready', '1');
        form.submit();
      });
    });
  }

  // A form with `data-keep-draft` keeps what was typed when a submission comes back:
  // refused with `?error=`, or after logging in again with `?restore=1`. The fields are
  // kept in this tab's sessionStorage at submit and put back once; files cannot be.
  function draftKey(form) { return 'bm-draft:' + form.getAttribute('action'); }

  function saveDraft(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === 'key' || el.type === 'file' || el.type === 'hidden' || el.type === 'submit') { return; }
      if (el.type === 'radio' || el.type === 'checkbox') {
        if (el.checked) { fields[el.name + '=' + el.value] = true; }
      } else if (el.value) {
        fields[el.name] = el.value;
      }
    });
    try { sessionStorage.setItem(draftKey(form), JSON.stringify({ at: Date.now(), fields: fields })); } catch (e) { /* storage off */ }
  }

  function restoreDraft(form) {
    var key = draftKey(form), draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(key) || 'null'); sessionStorage.removeItem(key); } catch (e) { return; }
    var back = /[?&](error|restore)=/.test(window.location.search);
    if (!draft || !back || Date.now() - draft.at > 60 * 60 * 1000) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.type === 'radio' || el.type === 'checkbox') {
        if (draft.fields[el.name + '=' + el.value]) { el.checked = true; }
      } else if (el.type !== 'file' && el.type !== 'hidden' && !el.value && draft.fields[el.name]) {
        el.value = draft.fields[el.name];
      }
    });
    // The page renders the note hidden: adding elements would break hydration.
    var note = form.querySelector('.form-note');
    if (note) { note.hidden = false; }
  }

  function wireDraft(form) {
    if (form.getAttribute('data-draft-wired')) { return; }
    form.setAttribute('data-draft-wired', '1');
    restoreDraft(form);
    form.addEventListener('submit', function () { saveDraft(form); });
  }

  function wireAll() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-keep-draft]'), wireDraft);
    Array.prototype.forEach.call(document.querySelectorAll('form[data-upload]'), wire);
    Array.prototype.forEach.call(document.querySelectorAll('form[data-downscale]'), wireDownscale);
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', wireAll);
  } else {
    wireAll();
  }
  // Pages reached by client-side navigation render their forms later.
  new MutationObserver(wireAll).observe(document.documentElement, { childList: true, subtree: true });
})();
