// The installer of the Task report (install.html). Bitrix24 opens it once, for an
// administrator, right after the archive is uploaded. It checks that the app can read
// tasks, stores the app's defaults in the portal, then calls BX24.installFinish().
// Every step is shown to the administrator; any failure is explained, never hidden.
(function () {
  "use strict";

  var TEXT = {
    en: {
      title: "Installing “Task report”",
      noSdk: "This page is the installer of the Task report and works only inside Bitrix24. Upload the archive in Applications → Developer resources → Other → Local application, then open the app from the left menu.",
      connect: "Connecting to Bitrix24",
      connected: "Connected to ",
      scope: "Checking access to tasks (the “task” permission)",
      scopeMissing: "The app does not have the Tasks (task) permission. Open the app's settings in Applications → Developer resources, add the “Tasks (task)” permission, save, and open the app again.",
      scopeUnknown: "Could not check the permissions: ",
      options: "Saving the default report settings",
      finish: "Finishing the installation",
      done: "Done. Bitrix24 now opens the report.",
      timeout: "Bitrix24 did not answer within 15 seconds.",
      finishAnyway: "Finish installation anyway",
      hint: "If this page stays open, reload it; the installer can run again safely."
    },
    ru: {
      title: "Установка «Отчёт по задачам»",
      noSdk: "Эта страница — установщик приложения «Отчёт по задачам», она работает только внутри Битрикс24. Загрузите архив в разделе Приложения → Разработчикам → Другое → Локальное приложение и откройте приложение из левого меню.",
      connect: "Подключение к Битрикс24",
      connected: "Подключено к ",
      scope: "Проверка доступа к задачам (право «task»)",
      scopeMissing: "У приложения нет права «Задачи (task)». Откройте настройки приложения в разделе Приложения → Разработчикам, добавьте право «Задачи (task)», сохраните и откройте приложение снова.",
      scopeUnknown: "Не удалось проверить права: ",
      options: "Сохранение настроек отчёта по умолчанию",
      finish: "Завершение установки",
      done: "Готово. Битрикс24 открывает отчёт.",
      timeout: "Битрикс24 не ответил за 15 секунд.",
      finishAnyway: "Всё равно завершить установку",
      hint: "Если страница не закрылась, обновите её: установку можно запустить повторно."
    }
  };
  var lang = "en";
  function t(key) { return (TEXT[lang] || TEXT.en)[key]; }

  var steps = document.getElementById("steps");
  var errorBox = document.getElementById("error");
  var actions = document.getElementById("actions");

  function step(text) {
    var li = document.createElement("li");
    li.textContent = text;
    li.setAttribute("data-state", "running");
    steps.appendChild(li);
    return {
      ok: function (suffix) { li.setAttribute("data-state", "ok"); if (suffix) { li.textContent = text + " — " + suffix; } else { li.textContent = text + " ✓"; } },
      fail: function () { li.setAttribute("data-state", "error"); li.textContent = text + " ✗"; }
    };
  }
  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }
  function fit() {
    try { if (window.BX24 && BX24.fitWindow) { BX24.fitWindow(); } } catch (e) { /* not critical */ }
  }

  // BX24.callMethod never calls back on 5xx or network errors: guard every call with a timeout.
  function callWithTimeout(method, params) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error(t("timeout"))); }, 15000);
      try {
        BX24.callMethod(method, params, function (result) {
          clearTimeout(timer);
          var err = result.error();
          if (err) { reject(new Error(String(err))); } else { resolve(result.data()); }
        });
      } catch (e) { clearTimeout(timer); reject(e); }
    });
  }

  function finish() {
    var s = step(t("finish"));
    actions.hidden = true;
    try {
      BX24.installFinish();
      s.ok();
      var p = document.createElement("p");
      p.textContent = t("done");
      steps.parentNode.insertBefore(p, errorBox);
    } catch (e) {
      s.fail();
      showError(String(e && e.message || e));
    }
    fit();
  }

  if (!window.BX24) {
    showError(t("noSdk"));
    return;
  }

  var connecting = step(t("connect"));
  BX24.init(function () {
    lang = /^(ru|ua|kz|by)$/.test(BX24.getLang()) ? "ru" : "en";
    document.documentElement.lang = lang;
    document.getElementById("title").textContent = t("title");
    document.getElementById("hint").textContent = t("hint");
    document.getElementById("finish").textContent = t("finishAnyway");
    steps.textContent = "";
    step(t("connect")).ok(t("connected") + BX24.getDomain());
    connecting = null;

    var scopeStep = step(t("scope"));
    fit();
    callWithTimeout("app.info", {})
      .then(function (info) {
        var scopes = String((info && info.SCOPE) || "").split(",");
        if (scopes.indexOf("task") < 0) {
          scopeStep.fail();
          showError(t("scopeMissing"));
          actions.hidden = false;
          fit();
          return false;
        }
        scopeStep.ok();
        return true;
      }, function (e) {
        scopeStep.fail();
        showError(t("scopeUnknown") + (e && e.message || e));
        actions.hidden = false;
        fit();
        return false;
      })
      .then(function (ok) {
        if (!ok) { return; }
        var optionsStep = step(t("options"));
        var saved = false;
        var timer = setTimeout(function () { if (!saved) { optionsStep.fail(); showError(t("timeout")); actions.hidden = false; fit(); } }, 15000);
        BX24.appOption.set("report_defaults", JSON.stringify({ v: 1, installed: new Date().toISOString() }), function () {
          saved = true;
          clearTimeout(timer);
          optionsStep.ok();
          finish();
        });
      });
  });
  document.getElementById("finish").addEventListener("click", finish);
})();
