// 扫码签到: reads a booking QR code with the camera where the browser can
// (BarcodeDetector + getUserMedia), fills in the code and submits the lookup form.
// Without a camera or the API the button stays hidden and the code is typed.
(function () {
  var button = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var form = document.getElementById("lookup-form");
  if (!button || !video || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var look = function () {
        detector.detect(video).then(function (codes) {
          var code = codes.length && codes[0].rawValue && codes[0].rawValue.trim();
          if (code && /^[0-9A-Z]{4,16}$/i.test(code)) {
            stop();
            form.elements.code.value = code.toUpperCase();
            form.submit();
          } else {
            requestAnimationFrame(look);
          }
        }, function () { requestAnimationFrame(look); });
      };
      look();
    }, function () { button.textContent = "无法打开摄像头，请手动输入预约码"; button.disabled = true; });
  });
})();
