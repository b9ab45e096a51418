// The installer of the Task report (install.html). Bitrix24 opens it once, for an
// administrator, right after the archive is uploaded. It checks that the app can read
// tasks, stores the app's defaults in the portal, then calls BX24.installFinish().
// Every step is shown to the administrator; any failure is explained, never hidden.
//
// The permission check uses only documented answers (docs/platform/rest-answers.md):
//  * `scope` — the scopes granted to the app, an array of strings;
//  * one real `task.item.list` call for a one-row page — the decisive test: success means the
//    app can read tasks; `insufficient_scope` / `ACCESS_DENIED` means it cannot.
// `app.info` is not used: its documented answer has no SCOPE.
(function () {
  "use strict";

  // Every language has every key (e2e/tests/portal.test.mjs checks it).
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
    },
    ua: {
      title: "Встановлення «Звіт по завданнях»",
      noSdk: "Ця сторінка — інсталятор застосунку «Звіт по завданнях», вона працює лише всередині Бітрікс24. Завантажте архів у розділі Застосунки → Розробникам → Інше → Локальний застосунок і відкрийте застосунок з лівого меню.",
      connect: "Підключення до Бітрікс24",
      connected: "Підключено до ",
      scope: "Перевірка доступу до завдань (дозвіл «task»)",
      scopeMissing: "Застосунок не має дозволу «Завдання (task)». Відкрийте налаштування застосунку в розділі Застосунки → Розробникам, додайте дозвіл «Завдання (task)», збережіть і відкрийте застосунок знову.",
      scopeUnknown: "Не вдалося перевірити дозволи: ",
      options: "Збереження типових налаштувань звіту",
      finish: "Завершення встановлення",
      done: "Готово. Бітрікс24 відкриває звіт.",
      timeout: "Бітрікс24 не відповів за 15 секунд.",
      finishAnyway: "Усе одно завершити встановлення",
      hint: "Якщо сторінка не закрилася, оновіть її: встановлення можна запустити повторно."
    },
    de: {
      title: "Installation von „Aufgabenbericht“",
      noSdk: "Diese Seite ist das Installationsprogramm des Aufgabenberichts und funktioniert nur innerhalb von Bitrix24. Laden Sie das Archiv unter Anwendungen → Entwicklerressourcen → Andere → Lokale Anwendung hoch und öffnen Sie die App dann über das linke Menü.",
      connect: "Verbindung mit Bitrix24",
      connected: "Verbunden mit ",
      scope: "Zugriff auf Aufgaben wird geprüft (Berechtigung „task“)",
      scopeMissing: "Der App fehlt die Berechtigung „Aufgaben (task)“. Öffnen Sie die Einstellungen der App unter Anwendungen → Entwicklerressourcen, fügen Sie die Berechtigung „Aufgaben (task)“ hinzu, speichern Sie und öffnen Sie die App erneut.",
      scopeUnknown: "Die Berechtigungen konnten nicht geprüft werden: ",
      options: "Standardeinstellungen des Berichts werden gespeichert",
      finish: "Installation wird abgeschlossen",
      done: "Fertig. Bitrix24 öffnet jetzt den Bericht.",
      timeout: "Bitrix24 hat nicht innerhalb von 15 Sekunden geantwortet.",
      finishAnyway: "Installation trotzdem abschließen",
      hint: "Bleibt diese Seite offen, laden Sie sie neu; die Installation kann gefahrlos erneut laufen."
    }
  };
  var lang = "en";
  function t(key) { return (TEXT[lang] || TEXT.en)[key]; }
  // Bitrix24 language ids: ua = Ukrainian; by and kz portals read Russian.
  function pickLang(code) {
    code = String(code || "").toLowerCase();
    if (/^(ru|by|kz)$/.test(code)) { return "ru"; }
    return TEXT[code] ? code : "en";
  }

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

  // The portal's error code of a BX24 result's error() (the SDK keeps the answer in `ex`).
  function errorCode(err) {
    var ex = err && (typeof err.getError === "function" ? err.getError() : err.ex);
    return ex && typeof ex.error === "string" ? ex.error : "";
  }

  // BX24.callMethod never calls back on 5xx or network errors: guard every call with a timeout.
  // Rejects with an Error whose `code` is the portal's error code ("" for a timeout).
  function callWithTimeout(method, params) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error(t("timeout"))); }, 15000);
      try {
        BX24.callMethod(method, params, function (result) {
          clearTimeout(timer);
          var err = result.error();
          if (err) {
            var e = new Error(String(err));
            e.code = errorCode(err);
            reject(e);
          } else {
            resolve(result.data());
          }
        });
      } catch (e) { clearTimeout(timer); reject(e); }
    });
  }

  // Both outcomes of a promise as a value: {ok: true, value} or {ok: false, error}.
  function settle(promise) {
    return promise.then(function (value) { return { ok: true, value: value }; },
      function (error) { return { ok: false, error: error }; });
  }

  // The codes a portal answers when the app may not read tasks (docs/platform/rest-answers.md).
  var DENIED = { insufficient_scope: true, ACCESS_DENIED: true };

  // "granted" | "missing" | "unknown", from the real call first, the `scope` listing second.
  function decide(listing, probe) {
    if (probe.ok) { return "granted"; }
    if (DENIED[probe.error && probe.error.code]) { return "missing"; }
    if (listing.ok && Array.isArray(listing.value)) {
      return listing.value.indexOf("task") >= 0 ? "granted" : "missing";
    }
    return "unknown";
  }

  function checkTasksPermission() {
    // ORDER, FILTER, PARAMS, SELECT are positional; FILTER must not be empty, or BX24.js would
    // send nothing for it and PARAMS would move into its place.
    var probeParams = [{ ID: "desc" }, { ">ID": 0 }, { NAV_PARAMS: { nPageSize: 1, iNumPage: 1 } }, ["ID"]];
    return Promise.all([
      settle(callWithTimeout("scope", {})),
      settle(callWithTimeout("task.item.list", probeParams))
    ]).then(function (outcomes) {
      return { verdict: decide(outcomes[0], outcomes[1]), probe: outcomes[1] };
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

  function saveDefaults() {
    var optionsStep = step(t("options"));
    var saved = false;
    var timer = setTimeout(function () { if (!saved) { optionsStep.fail(); showError(t("timeout")); actions.hidden = false; fit(); } }, 15000);
    BX24.appOption.set("report_defaults", JSON.stringify({ v: 1, installed: new Date().toISOString() }), function () {
      saved = true;
      clearTimeout(timer);
      optionsStep.ok();
      finish();
    });
  }

  if (!window.BX24) {
    showError(t("noSdk"));
    return;
  }

  step(t("connect"));
  BX24.init(function () {
    lang = pickLang(BX24.getLang());
    document.documentElement.lang = lang === "ua" ? "uk" : lang;
    document.getElementById("title").textContent = t("title");
    document.getElementById("hint").textContent = t("hint");
    document.getElementById("finish").textContent = t("finishAnyway");
    steps.textContent = "";
    step(t("connect")).ok(t("connected") + BX24.getDomain());

    var scopeStep = step(t("scope"));
    fit();
    checkTasksPermission().then(function (check) {
      if (check.verdict === "granted") {
        scopeStep.ok();
        saveDefaults();
        return;
      }
      scopeStep.fail();
      if (check.verdict === "missing") {
        showError(t("scopeMissing"));
      } else {
        var e = check.probe.error;
        showError(t("scopeUnknown") + (e && e.message || e));
      }
      actions.hidden = false;
      fit();
    });
  });
  document.getElementById("finish").addEventListener("click", finish);
})();
