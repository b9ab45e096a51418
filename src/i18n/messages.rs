//! The message table: every fixed UI string of the app in English, Russian, Ukrainian and
//! German. One macro line per key keeps the four texts side by side and makes a missing
//! translation a compile error; the English text doubles as the key's documentation.

macro_rules! messages {
    ($($(#[$attr:meta])* $key:ident => [$en:literal, $ru:literal, $ua:literal, $de:literal],)*) => {
        /// A key of a fixed UI string; [`crate::i18n::t`] gives its text in a language.
        /// The doc line of each key is its English text.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Msg {
            $(#[doc = $en] $(#[$attr])* $key,)*
        }

        impl Msg {
            /// Every key, in declaration order.
            pub const ALL: &'static [Msg] = &[$($(#[$attr])* Msg::$key,)*];
        }

        /// Every text, key by key (declaration order), each key's four in `Lang` order
        /// (compile time only: [`TEXT`] and [`ENDS`] are built from it).
        const PARTS: &[&str] = &[$($(#[$attr])* $en, $(#[$attr])* $ru, $(#[$attr])* $ua, $(#[$attr])* $de,)*];
    };
}

/// The bytes of all texts of [`PARTS`], one after the other. Compile time only: read once,
/// by [`TEXT`] (the lint is about copies of a large const at every use).
#[allow(clippy::large_const_arrays)]
const BYTES: [u8; total_len()] = {
    let mut bytes = [0u8; total_len()];
    let (mut i, mut at) = (0, 0);
    while i < PARTS.len() {
        let part = PARTS[i].as_bytes();
        let mut j = 0;
        while j < part.len() {
            bytes[at] = part[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    bytes
};

const fn total_len() -> usize {
    let (mut i, mut len) = (0, 0);
    while i < PARTS.len() {
        len += PARTS[i].len();
        i += 1;
    }
    len
}

/// Every text, key by key, each key's four in `Lang` order: one string in the wasm's data.
pub(super) const TEXT: &str = match std::str::from_utf8(&BYTES) {
    Ok(text) => text,
    Err(_) => panic!("the UI texts are not UTF-8"),
};

/// Where each text of [`TEXT`] ends (`ENDS[4 * key + lang]`); it starts where the one before
/// it ends. Two bytes a text instead of a `&str` (eight bytes of pointer and length) each.
pub(super) const ENDS: [u16; PARTS.len()] = {
    assert!(
        total_len() <= u16::MAX as usize,
        "the UI texts outgrew u16 offsets"
    );
    let mut ends = [0u16; PARTS.len()];
    let (mut i, mut at) = (0, 0);
    while i < PARTS.len() {
        at += PARTS[i].len();
        ends[i] = at as u16;
        i += 1;
    }
    ends
};

messages! {
    // App
    AppTitle => ["Task report", "Отчёт по задачам", "Звіт по завданнях", "Aufgabenbericht"],
    // Start-up, before the portal's language is known (src/app.rs `boot_lang`)
    BootConnecting => ["Connecting to Bitrix24…", "Подключение к Битрикс24…", "Підключення до Бітрікс24…", "Verbindung zu Bitrix24 wird hergestellt…"],
    BootFailed => ["Bitrix24 did not start the app.", "Битрикс24 не запустил приложение.", "Бітрікс24 не запустив застосунок.", "Bitrix24 hat die App nicht gestartet."],
    BootSdkMissing => ["The Bitrix24 JS SDK (//api.bitrix24.com/api/v1/) did not load. Check the network and reload the page.", "Не загрузился JS SDK Битрикс24 (//api.bitrix24.com/api/v1/). Проверьте подключение к сети и перезагрузите страницу.", "Не завантажився JS SDK Бітрікс24 (//api.bitrix24.com/api/v1/). Перевірте підключення до мережі й перезавантажте сторінку.", "Das Bitrix24 JS SDK (//api.bitrix24.com/api/v1/) wurde nicht geladen. Prüfen Sie die Netzwerkverbindung und laden Sie die Seite neu."],
    BootTimeout => ["The portal did not answer the app's start-up request within 15 seconds. Reload the page.", "Портал не ответил на запрос запуска приложения за 15 секунд. Перезагрузите страницу.", "Портал не відповів на запит запуску застосунку за 15 секунд. Перезавантажте сторінку.", "Das Portal hat die Startanfrage der App nicht innerhalb von 15 Sekunden beantwortet. Laden Sie die Seite neu."],
    BootSdkError => ["The Bitrix24 JS SDK failed while starting the app. Reload the page; if it happens again, send the details below to your Bitrix24 administrator.", "JS SDK Битрикс24 выдал ошибку при запуске приложения. Перезагрузите страницу; если ошибка повторится, передайте подробности ниже администратору Битрикс24.", "JS SDK Бітрікс24 видав помилку під час запуску застосунку. Перезавантажте сторінку; якщо помилка повториться, передайте подробиці нижче адміністраторові Бітрікс24.", "Das Bitrix24 JS SDK ist beim Start der App fehlgeschlagen. Laden Sie die Seite neu; tritt es erneut auf, senden Sie die Details unten an Ihren Bitrix24-Administrator."],
    FatalInternal => ["The task report stopped because of an internal error. Reload the page to try again.", "Отчёт по задачам остановился из-за внутренней ошибки. Перезагрузите страницу, чтобы попробовать снова.", "Звіт по завданнях зупинився через внутрішню помилку. Перезавантажте сторінку, щоб спробувати знову.", "Der Aufgabenbericht wurde wegen eines internen Fehlers beendet. Laden Sie die Seite neu, um es erneut zu versuchen."],
    // Header counters
    CounterTotal => ["All tasks", "Все задачи", "Усі завдання", "Alle Aufgaben"],
    CounterInProgress => ["In progress", "В работе", "В роботі", "In Arbeit"],
    CounterOverdue => ["Overdue", "Просрочены", "Прострочені", "Überfällig"],
    CounterAlmostOverdue => ["Almost overdue", "Почти просрочены", "Майже прострочені", "Fast überfällig"],
    CounterUnviewed => ["Unviewed", "Не просмотрены", "Не переглянуті", "Nicht angesehen"],
    CounterAwaitingControl => ["Awaiting control", "Ждут контроля", "Очікують контролю", "Warten auf Kontrolle"],
    CounterCompleted => ["Completed", "Завершены", "Завершені", "Abgeschlossen"],
    // Presets (Bitrix24's built-in filter presets)
    PresetAll => ["All tasks", "Все задачи", "Усі завдання", "Alle Aufgaben"],
    PresetInProgress => ["In progress", "В работе", "В роботі", "In Arbeit"],
    PresetCompleted => ["Completed", "Завершённые", "Завершені", "Abgeschlossen"],
    PresetDeferred => ["Deferred", "Отложенные", "Відкладені", "Zurückgestellt"],
    PresetOverdue => ["Overdue", "Просроченные", "Прострочені", "Überfällig"],
    PresetAlmostOverdue => ["Almost overdue", "Почти просроченные", "Майже прострочені", "Fast überfällig"],
    // Columns
    ColId => ["ID", "ID", "ID", "ID"],
    ColTitle => ["Title", "Название", "Назва", "Titel"],
    ColPriority => ["Priority", "Приоритет", "Пріоритет", "Priorität"],
    ColStatus => ["Status", "Статус", "Статус", "Status"],
    ColMeta => ["Note", "Отметка", "Позначка", "Hinweis"],
    // Sort
    Sort => ["Sort", "Сортировка", "Сортування", "Sortieren"],
    SortAsc => ["Ascending", "По возрастанию", "За зростанням", "Aufsteigend"],
    SortDesc => ["Descending", "По убыванию", "За спаданням", "Absteigend"],
    // Filter
    Filter => ["Filter", "Фильтр", "Фільтр", "Filter"],
    FilterStatus => ["Status", "Статус", "Статус", "Status"],
    FilterPriority => ["Priority", "Приоритет", "Пріоритет", "Priorität"],
    FilterMeta => ["Deadline and views", "Срок и просмотр", "Термін і перегляд", "Frist und Ansicht"],
    FilterMetaNone => ["No note", "Без отметки", "Без позначки", "Ohne Hinweis"],
    FilterAny => ["Any", "Любой", "Будь-який", "Alle"],
    FilterReset => ["Reset filters", "Сбросить фильтры", "Скинути фільтри", "Filter zurücksetzen"],
    // Search
    Search => ["Search", "Поиск", "Пошук", "Suche"],
    SearchPlaceholder => ["Search by title or ID", "Поиск по названию или ID", "Пошук за назвою або ID", "Nach Titel oder ID suchen"],
    SearchClear => ["Clear search", "Очистить поиск", "Очистити пошук", "Suche löschen"],
    // Grouping
    Group => ["Group by", "Группировка", "Групування", "Gruppieren nach"],
    GroupNone => ["No grouping", "Без группировки", "Без групування", "Keine Gruppierung"],
    GroupStatus => ["By status", "По статусу", "За статусом", "Nach Status"],
    GroupPriority => ["By priority", "По приоритету", "За пріоритетом", "Nach Priorität"],
    GroupResponsible => ["By responsible", "По исполнителю", "За виконавцем", "Nach Verantwortlichem"],
    GroupCreator => ["By creator", "По постановщику", "За постановником", "Nach Ersteller"],
    GroupProject => ["By project", "По проекту", "За проєктом", "Nach Projekt"],
    GroupDeadline => ["By deadline", "По крайнему сроку", "За кінцевим терміном", "Nach Frist"],
    // Deadline buckets (report/dates.rs DeadlineBucket)
    BucketOverdue => ["Overdue", "Просрочены", "Прострочені", "Überfällig"],
    BucketToday => ["Due today", "Срок сегодня", "Термін сьогодні", "Heute fällig"],
    BucketThisWeek => ["Due this week", "Срок на этой неделе", "Термін цього тижня", "Diese Woche fällig"],
    BucketNextWeek => ["Due next week", "Срок на следующей неделе", "Термін наступного тижня", "Nächste Woche fällig"],
    BucketLater => ["Due later", "Срок позже", "Термін пізніше", "Später fällig"],
    BucketNone => ["No deadline", "Без срока", "Без терміну", "Ohne Frist"],
    NoPerson => ["Not set", "Не указан", "Не вказано", "Nicht angegeben"],
    NoProject => ["No project", "Без проекта", "Без проєкту", "Ohne Projekt"],
    // Person and date filters (issue 14; components/filter_bar.rs, date_filter.rs)
    FilterFindInList => ["Find in the list", "Найти в списке", "Знайти у списку", "In der Liste suchen"],
    DateToday => ["Today", "Сегодня", "Сьогодні", "Heute"],
    DateThisWeek => ["This week", "Эта неделя", "Цей тиждень", "Diese Woche"],
    DateLastWeek => ["Last week", "Прошлая неделя", "Минулий тиждень", "Letzte Woche"],
    DateThisMonth => ["This month", "Этот месяц", "Цей місяць", "Dieser Monat"],
    DateLastMonth => ["Last month", "Прошлый месяц", "Минулий місяць", "Letzter Monat"],
    DateCustom => ["Custom range", "Произвольный период", "Довільний період", "Eigener Zeitraum"],
    DateFrom => ["From", "С", "З", "Von"],
    DateTo => ["To", "По", "По", "Bis"],
    // Summary views
    PivotTitle => ["Status × priority", "Статус × приоритет", "Статус × пріоритет", "Status × Priorität"],
    PivotTotal => ["Total", "Итого", "Разом", "Gesamt"],
    PersonPivotTitle => ["Responsible × status", "Исполнитель × статус", "Виконавець × статус", "Verantwortlich × Status"],
    ChartTitle => ["Tasks by status", "Задачи по статусам", "Завдання за статусами", "Aufgaben nach Status"],
    SummaryOther => ["Other", "Другие", "Інші", "Sonstige"],
    // Actions
    ExportCsv => ["Export CSV", "Экспорт в CSV", "Експорт у CSV", "CSV exportieren"],
    Print => ["Print", "Печать", "Друк", "Drucken"],
    Retry => ["Retry", "Повторить", "Повторити", "Erneut versuchen"],
    Reload => ["Reload", "Обновить", "Оновити", "Neu laden"],
    Cancel => ["Cancel", "Отмена", "Скасувати", "Abbrechen"],
    SaveView => ["Save view", "Сохранить вид", "Зберегти вигляд", "Ansicht speichern"],
    ResetView => ["Reset view", "Сбросить вид", "Скинути вигляд", "Ansicht zurücksetzen"],
    // Loading and empty states
    Loading => ["Loading tasks…", "Загрузка задач…", "Завантаження завдань…", "Aufgaben werden geladen…"],
    LoadCancelled => ["Loading cancelled. The table shows the tasks loaded so far.", "Загрузка отменена. В таблице задачи, загруженные до отмены.", "Завантаження скасовано. У таблиці завдання, завантажені до скасування.", "Laden abgebrochen. Die Tabelle zeigt die bis dahin geladenen Aufgaben."],
    EmptyTitle => ["No tasks yet", "Задач пока нет", "Завдань поки немає", "Noch keine Aufgaben"],
    EmptyHint => ["Create a task in Bitrix24 Tasks, then press Reload.", "Создайте задачу в разделе «Задачи» Битрикс24 и нажмите «Обновить».", "Створіть завдання в розділі «Завдання» Бітрікс24 і натисніть «Оновити».", "Erstellen Sie eine Aufgabe in Bitrix24 Aufgaben und klicken Sie dann auf „Neu laden“."],
    NoMatchTitle => ["No tasks match", "Нет подходящих задач", "Немає відповідних завдань", "Keine passenden Aufgaben"],
    NoMatchHint => ["Change the search or reset the filters.", "Измените запрос или сбросьте фильтры.", "Змініть запит або скиньте фільтри.", "Ändern Sie die Suche oder setzen Sie die Filter zurück."],
    // Load errors
    ErrMissingScope => ["The app needs the Tasks (task) permission; an administrator can add it in the app's settings.", "Приложению нужно право «Задачи» (task); администратор может добавить его в настройках приложения.", "Застосунку потрібен дозвіл «Завдання» (task); адміністратор може додати його в налаштуваннях застосунку.", "Die App benötigt die Berechtigung „Aufgaben“ (task); ein Administrator kann sie in den Einstellungen der App hinzufügen."],
    ErrAccessDenied => ["Access denied: your account may not read tasks through the REST API on this portal or plan.", "Доступ запрещён: вашей учётной записи нельзя читать задачи через REST API на этом портале или тарифе.", "Доступ заборонено: вашому обліковому запису не можна читати завдання через REST API на цьому порталі або тарифі.", "Zugriff verweigert: Ihr Konto darf auf diesem Portal oder Tarif keine Aufgaben über die REST-API lesen."],
    ErrAuthFailed => ["Authorization failed. Reopen the app from the Bitrix24 menu.", "Ошибка авторизации. Откройте приложение заново из меню Битрикс24.", "Помилка авторизації. Відкрийте застосунок знову з меню Бітрікс24.", "Autorisierung fehlgeschlagen. Öffnen Sie die App erneut über das Bitrix24-Menü."],
    ErrRateLimited => ["Too many requests to the portal; waiting before continuing…", "Слишком много запросов к порталу; ждём и продолжаем…", "Забагато запитів до порталу; чекаємо й продовжуємо…", "Zu viele Anfragen an das Portal; es wird kurz gewartet…"],
    ErrOperationLimit => ["The portal's time limit for reading tasks is used up; waiting for it to reset…", "Исчерпан лимит времени портала на чтение задач; ждём его сброса…", "Вичерпано ліміт часу порталу на читання завдань; чекаємо його скидання…", "Das Zeitlimit des Portals für das Lesen von Aufgaben ist erschöpft; es wird auf das Zurücksetzen gewartet…"],
    ErrNetwork => ["Network error: the portal cannot be reached. Check the connection and retry.", "Ошибка сети: портал недоступен. Проверьте подключение и повторите.", "Помилка мережі: портал недоступний. Перевірте з’єднання та повторіть.", "Netzwerkfehler: Das Portal ist nicht erreichbar. Prüfen Sie die Verbindung und versuchen Sie es erneut."],
    ErrTimeout => ["The portal did not answer in time.", "Портал не ответил вовремя.", "Портал не відповів вчасно.", "Das Portal hat nicht rechtzeitig geantwortet."],
    ErrServer => ["The portal reported a server error.", "Портал сообщил о внутренней ошибке.", "Портал повідомив про внутрішню помилку.", "Das Portal hat einen Serverfehler gemeldet."],
    ErrBadAnswer => ["The portal sent an answer the app does not understand.", "Портал прислал ответ, который приложение не понимает.", "Портал надіслав відповідь, яку застосунок не розуміє.", "Das Portal hat eine Antwort gesendet, die die App nicht versteht."],
    ErrMethodUnavailable => ["task.item.list is not available on this portal; switching to tasks.task.list.", "Метод task.item.list недоступен на этом портале; переходим на tasks.task.list.", "Метод task.item.list недоступний на цьому порталі; переходимо на tasks.task.list.", "task.item.list ist auf diesem Portal nicht verfügbar; es wird auf tasks.task.list umgestellt."],
    ErrUnexpected => ["Something went wrong. Reload the app.", "Что-то пошло не так. Перезагрузите приложение.", "Щось пішло не так. Перезавантажте застосунок.", "Etwas ist schiefgelaufen. Laden Sie die App neu."],
    // Preview and webhook mode
    PreviewBanner => ["Preview — not inside Bitrix24: demo data", "Предпросмотр — не внутри Битрикс24: демо-данные", "Попередній перегляд — не всередині Бітрікс24: демо-дані", "Vorschau — nicht in Bitrix24: Demodaten"],
    WebhookUrl => ["Incoming webhook URL", "Адрес входящего вебхука", "Адреса вхідного вебхука", "URL des eingehenden Webhooks"],
    WebhookHint => ["Create an incoming webhook with the Tasks (task) permission in Developer resources and paste its URL.", "Создайте входящий вебхук с правом «Задачи» (task) в разделе «Разработчикам» и вставьте его адрес.", "Створіть вхідний вебхук із дозволом «Завдання» (task) у розділі «Розробникам» і вставте його адресу.", "Erstellen Sie unter Entwicklerressourcen einen eingehenden Webhook mit der Berechtigung „Aufgaben“ (task) und fügen Sie seine URL ein."],
    WebhookConnect => ["Connect", "Подключить", "Підключити", "Verbinden"],
    Preview => ["Preview", "Предпросмотр", "Попередній перегляд", "Vorschau"],
    WebhookOpenForm => ["Connect your portal with a webhook…", "Подключить свой портал через вебхук…", "Підключити свій портал через вебхук…", "Eigenes Portal per Webhook verbinden…"],
    WebhookLive => ["Preview — live tasks of {host} through an incoming webhook.", "Предпросмотр — задачи портала {host} через входящий вебхук.", "Попередній перегляд — завдання порталу {host} через вхідний вебхук.", "Vorschau — echte Aufgaben von {host} über einen eingehenden Webhook."],
    WebhookForget => ["Forget the webhook", "Забыть вебхук", "Забути вебхук", "Webhook vergessen"],
    WebhookStaysInTab => ["The URL stays in this tab only and never goes into the address bar.", "Адрес хранится только в этой вкладке и не попадает в адресную строку.", "Адреса зберігається лише в цій вкладці й не потрапляє в адресний рядок.", "Die URL bleibt nur in diesem Tab und gelangt nie in die Adresszeile."],
    WebhookEmpty => ["Paste the incoming webhook URL.", "Вставьте адрес входящего вебхука.", "Вставте адресу вхідного вебхука.", "Fügen Sie die URL des eingehenden Webhooks ein."],
    WebhookNotAUrl => ["This is not a URL. Copy the “REST call URL” from the incoming webhook's settings in Bitrix24.", "Это не адрес. Скопируйте «URL для вызова REST» из настроек входящего вебхука в Битрикс24.", "Це не адреса. Скопіюйте «URL для виклику REST» з налаштувань вхідного вебхука в Бітрікс24.", "Das ist keine URL. Kopieren Sie die „URL für REST-Aufrufe“ aus den Einstellungen des eingehenden Webhooks in Bitrix24."],
    WebhookBackslash => ["The URL contains a backslash (\\): browsers read it as “/”, so the request would go to another host. Copy the URL again from Bitrix24.", "В адресе есть обратная косая черта (\\): браузер читает её как «/», и запрос ушёл бы на другой сервер. Скопируйте адрес из Битрикс24 заново.", "В адресі є зворотна скісна риска (\\): браузер читає її як «/», і запит пішов би на інший сервер. Скопіюйте адресу з Бітрікс24 знову.", "Die URL enthält einen Backslash (\\): Browser lesen ihn als „/“, die Anfrage ginge also an einen anderen Host. Kopieren Sie die URL erneut aus Bitrix24."],
    WebhookCredentials => ["The URL contains a user name or password before “@”: the request would go to the host after it. Bitrix24 webhook URLs have none — copy it again from Bitrix24.", "В адресе есть имя пользователя или пароль перед «@»: запрос ушёл бы на сервер после него. В адресах вебхуков Битрикс24 их нет — скопируйте адрес заново.", "В адресі є ім’я користувача або пароль перед «@»: запит пішов би на сервер після нього. В адресах вебхуків Бітрікс24 їх немає — скопіюйте адресу знову.", "Die URL enthält vor „@“ einen Benutzernamen oder ein Passwort: Die Anfrage ginge an den Host danach. Bitrix24-Webhook-URLs haben keine — kopieren Sie sie erneut aus Bitrix24."],
    WebhookNeedsHttps => ["Bitrix24 accepts webhooks over HTTPS only: the URL must start with https://.", "Битрикс24 принимает вебхуки только по HTTPS: адрес должен начинаться с https://.", "Бітрікс24 приймає вебхуки лише через HTTPS: адреса має починатися з https://.", "Bitrix24 akzeptiert Webhooks nur über HTTPS: Die URL muss mit https:// beginnen."],
    WebhookWrongPath => ["The URL must look like https://your-portal.bitrix24.com/rest/1/secret/ — without a method name at the end.", "Адрес должен иметь вид https://ваш-портал.bitrix24.ru/rest/1/секрет/ — без имени метода в конце.", "Адреса має мати вигляд https://ваш-портал.bitrix24.ua/rest/1/секрет/ — без назви методу в кінці.", "Die URL muss wie https://ihr-portal.bitrix24.de/rest/1/geheim/ aussehen — ohne Methodennamen am Ende."],
    PreviewNoDemo => ["This build has no demo data. Open the app from the portal's left menu, connect a webhook above, or run `trunk serve` for the demo.", "В этой сборке нет демо-данных. Откройте приложение из левого меню портала, подключите вебхук выше или запустите «trunk serve» для демо.", "У цій збірці немає демо-даних. Відкрийте застосунок з лівого меню порталу, підключіть вебхук вище або запустіть «trunk serve» для демо.", "Dieser Build hat keine Demodaten. Öffnen Sie die App über das linke Menü des Portals, verbinden Sie oben einen Webhook oder starten Sie `trunk serve` für die Demo."],
    OutsidePortalTitle => ["This app works inside Bitrix24", "Это приложение работает внутри Битрикс24", "Цей застосунок працює всередині Бітрікс24", "Diese App läuft in Bitrix24"],
    OutsidePortalHow => ["Open it from your portal: in the left menu choose Applications, then Task report. Opened directly, this page has no portal to read tasks from.", "Откройте его из своего портала: в левом меню выберите «Приложения», затем «Отчёт по задачам». Открытая напрямую, эта страница не может прочитать задачи портала.", "Відкрийте його зі свого порталу: у лівому меню виберіть «Застосунки», потім «Звіт по завданнях». Відкрита напряму, ця сторінка не може прочитати завдання порталу.", "Öffnen Sie sie aus Ihrem Portal: Wählen Sie im linken Menü „Anwendungen“ und dann „Aufgabenbericht“. Direkt geöffnet kann diese Seite keine Aufgaben eines Portals lesen."],
    // Report view (src/components)
    Connecting => ["Connecting to Bitrix24…", "Подключение к Битрикс24…", "Підключення до Бітрікс24…", "Verbindung mit Bitrix24…"],
    SourcePortal => ["Data from {domain}", "Данные портала {domain}", "Дані порталу {domain}", "Daten von {domain}"],
    SourceDemo => ["Preview — demo data", "Предпросмотр — демо-данные", "Попередній перегляд — демо-дані", "Vorschau — Demodaten"],
    SourceWebhook => ["Data via webhook from {domain}", "Данные через вебхук: {domain}", "Дані через вебхук: {domain}", "Daten per Webhook von {domain}"],
    RequestsCount => ["Requests: {n}", "Запросов: {n}", "Запитів: {n}", "Anfragen: {n}"],
    LoadProgress => ["Task loading progress", "Ход загрузки задач", "Перебіг завантаження завдань", "Ladefortschritt der Aufgaben"],
    LoadDone => ["All tasks are loaded.", "Все задачи загружены.", "Усі завдання завантажено.", "Alle Aufgaben sind geladen."],
    PartialReport => ["The report is incomplete — loaded {count}. Retry continues where loading stopped.", "Отчёт неполный — загружено {count}. «Повторить» продолжит загрузку с места остановки.", "Звіт неповний — завантажено {count}. «Повторити» продовжить завантаження з місця зупинки.", "Der Bericht ist unvollständig — geladen: {count}. „Erneut versuchen“ setzt das Laden dort fort, wo es stoppte."],
    ErrorDetails => ["Details", "Подробности", "Подробиці", "Details"],
    ErrUnavailable => ["No connection to the portal: open the app inside Bitrix24.", "Нет связи с порталом: откройте приложение внутри Битрикс24.", "Немає зв’язку з порталом: відкрийте застосунок у Бітрікс24.", "Keine Verbindung zum Portal: Öffnen Sie die App in Bitrix24."],
    ErrNoTaskMethod => ["This portal offers no task list method (task.item.list or tasks.task.list).", "На портале нет метода списка задач (task.item.list или tasks.task.list).", "На порталі немає методу списку завдань (task.item.list або tasks.task.list).", "Dieses Portal bietet keine Methode für Aufgabenlisten (task.item.list oder tasks.task.list)."],
    ErrRateLimitedStop => ["The portal keeps rejecting requests as too frequent. Try again in a minute.", "Портал продолжает отклонять слишком частые запросы. Повторите через минуту.", "Портал і далі відхиляє надто часті запити. Повторіть за хвилину.", "Das Portal lehnt weiterhin zu häufige Anfragen ab. Versuchen Sie es in einer Minute erneut."],
    ErrOperationLimitStop => ["The portal has temporarily blocked task reading for this app (operation time limit).", "Портал временно заблокировал чтение задач для приложения (лимит времени операций).", "Портал тимчасово заблокував читання завдань для застосунку (ліміт часу операцій).", "Das Portal hat das Lesen von Aufgaben für diese App vorübergehend gesperrt (Zeitlimit)."],
    TryLater => ["Try again later.", "Повторите позже.", "Повторіть пізніше.", "Versuchen Sie es später erneut."],
    TryAfter => ["Try again after {time}.", "Повторите после {time}.", "Повторіть після {time}.", "Versuchen Sie es nach {time} Uhr erneut."],
    ErrOther => ["The portal reported an error.", "Портал сообщил об ошибке.", "Портал повідомив про помилку.", "Das Portal hat einen Fehler gemeldet."],
    NoTitle => ["(no title)", "(без названия)", "(без назви)", "(ohne Titel)"],
    NoticeMethodFallback => ["This portal no longer has {from}; tasks were loaded through {to}.", "На этом портале больше нет {from}; задачи загружены через {to}.", "На цьому порталі більше немає {from}; завдання завантажено через {to}.", "Dieses Portal hat {from} nicht mehr; die Aufgaben wurden über {to} geladen."],
    NoticeMalformed => ["Rows without a usable ID were left out: {n} (for example: {example}).", "Пропущены строки без корректного ID: {n} (например: {example}).", "Пропущено рядки без коректного ID: {n} (наприклад: {example}).", "Zeilen ohne gültige ID wurden ausgelassen: {n} (zum Beispiel: {example})."],
    NoticeDuplicates => ["Duplicate rows dropped: {n}.", "Отброшено повторов: {n}.", "Відкинуто повторів: {n}.", "Doppelte Zeilen verworfen: {n}."],
    NoticeTotalMismatch => ["The portal announced {announced} tasks; {loaded} were loaded (its count was off, or tasks were added or deleted while loading).", "Портал сообщил о {announced} задачах; загружено {loaded} (его счётчик неточен, или задачи добавлялись и удалялись во время загрузки).", "Портал повідомив про {announced} завдань; завантажено {loaded} (його лічильник неточний, або завдання додавалися й видалялися під час завантаження).", "Das Portal meldete {announced} Aufgaben; geladen wurden {loaded} (seine Zählung war ungenau, oder Aufgaben wurden während des Ladens hinzugefügt oder gelöscht)."],
    NoticeBatchReduced => ["The portal answered slowly, so requests were made smaller ({n} pages each).", "Портал отвечал медленно, поэтому запросы уменьшены (по {n} страниц).", "Портал відповідав повільно, тому запити зменшено (по {n} сторінок).", "Das Portal antwortete langsam, daher wurden die Anfragen verkleinert (je {n} Seiten)."],
    // Names of people and projects (issue 14; src/report/names.rs, LoadState::names)
    NoticeNamesFailed => ["Names of people and projects could not be loaded; they are shown by number.", "Не удалось загрузить имена сотрудников и названия проектов; они показаны по номерам.", "Не вдалося завантажити імена співробітників і назви проєктів; їх показано за номерами.", "Die Namen von Personen und Projekten konnten nicht geladen werden; sie werden als Nummer angezeigt."],
    NamesLoading => ["Loading names…", "Загрузка имён…", "Завантаження імен…", "Namen werden geladen…"],
    UserFallback => ["User #{id}", "Пользователь #{id}", "Користувач #{id}", "Benutzer #{id}"],
    ProjectFallback => ["Project #{id}", "Проект #{id}", "Проєкт #{id}", "Projekt #{id}"],
    ErrTooLarge => ["The portal sent an answer too large to read, even for one page of tasks.", "Портал прислал слишком большой ответ даже для одной страницы задач.", "Портал надіслав завелику відповідь навіть для однієї сторінки завдань.", "Das Portal hat selbst für eine Seite Aufgaben eine zu große Antwort gesendet."],
    LoadStats => ["Loaded {tasks} in {secs} s; requests: {requests}.", "Загружено {tasks} за {secs} с; запросов: {requests}.", "Завантажено {tasks} за {secs} с; запитів: {requests}.", "{tasks} in {secs} s geladen; Anfragen: {requests}."],
    SnapshotAsOf => ["Tasks as of {time}; bringing them up to date…", "Задачи на {time}; обновляем…", "Завдання станом на {time}; оновлюємо…", "Aufgaben vom Stand {time}; werden aktualisiert…"],
    SnapshotUnavailable => ["This browser does not let the app keep its tasks between visits (storage blocked or full), so every open loads them afresh.", "Браузер не разрешает приложению хранить задачи между визитами (хранилище заблокировано или заполнено), поэтому каждое открытие загружает их заново.", "Браузер не дозволяє застосунку зберігати завдання між візитами (сховище заблоковане або заповнене), тому кожне відкриття завантажує їх заново.", "Dieser Browser lässt die App ihre Aufgaben zwischen Besuchen nicht speichern (Speicher blockiert oder voll); jedes Öffnen lädt sie neu."],
    #[cfg(feature = "snapshot")]
    SinceLastVisitChanged => ["Changed since your last visit", "Изменены с прошлого визита", "Змінені з минулого візиту", "Seit Ihrem letzten Besuch geändert"],
    #[cfg(feature = "snapshot")]
    SinceVisitRowNew => ["New since your last visit", "Новая с прошлого визита", "Нове з минулого візиту", "Neu seit Ihrem letzten Besuch"],
    #[cfg(feature = "snapshot")]
    SinceVisitRowChanged => ["Changed since your last visit", "Изменена с прошлого визита", "Змінено з минулого візиту", "Seit Ihrem letzten Besuch geändert"],
    SinceLastVisitGone => ["No longer visible to you ({n})", "Больше не видны вам ({n})", "Більше не видимі вам ({n})", "Für Sie nicht mehr sichtbar ({n})"],
    ViewNotSaved => ["Your view could not be saved.", "Не удалось сохранить ваш вид отчёта.", "Не вдалося зберегти ваш вигляд звіту.", "Ihre Ansicht konnte nicht gespeichert werden."],
    PrintNote => ["The printout shows the first {n} of {total} rows. Narrow the filters to print all of them.", "В печать выведены первые {n} из {total} строк. Сузьте фильтры, чтобы напечатать все.", "Для друку виведено перші {n} з {total} рядків. Звузьте фільтри, щоб надрукувати всі.", "Der Ausdruck enthält die ersten {n} von {total} Zeilen. Grenzen Sie die Filter ein, um alle zu drucken."],
    CountersLabel => ["Task counters", "Счётчики задач", "Лічильники завдань", "Aufgabenzähler"],
    PresetsLabel => ["Filter presets", "Пресеты фильтра", "Пресети фільтра", "Filtervorlagen"],
    OpenTask => ["Open the task in Bitrix24", "Открыть задачу в Битрикс24", "Відкрити завдання в Бітрікс24", "Aufgabe in Bitrix24 öffnen"],
    TasksTable => ["Tasks", "Задачи", "Завдання", "Aufgaben"],
    ErrWebhookMissingScope => ["This webhook lacks the Tasks (task) permission. In Bitrix24 open Developer resources → Integrations, edit the incoming webhook, tick “Tasks (task)”, save and connect again.", "У этого вебхука нет права «Задачи» (task). В Битрикс24 откройте Разработчикам → Интеграции, измените входящий вебхук, отметьте «Задачи (task)», сохраните и подключитесь снова.", "Цей вебхук не має дозволу «Завдання» (task). У Бітрікс24 відкрийте Розробникам → Інтеграції, змініть вхідний вебхук, позначте «Завдання (task)», збережіть і підключіться знову.", "Diesem Webhook fehlt die Berechtigung „Aufgaben“ (task). Öffnen Sie in Bitrix24 Entwicklerressourcen → Integrationen, bearbeiten Sie den eingehenden Webhook, aktivieren Sie „Aufgaben (task)“, speichern Sie und verbinden Sie erneut."],
    ErrWebhookAuthFailed => ["The portal does not accept this webhook (wrong or deleted secret). Copy the webhook URL again from Bitrix24 and reconnect.", "Портал не принимает этот вебхук (неверный или удалённый секрет). Скопируйте адрес вебхука в Битрикс24 заново и подключитесь снова.", "Портал не приймає цей вебхук (невірний або видалений секрет). Скопіюйте адресу вебхука в Бітрікс24 знову і підключіться повторно.", "Das Portal akzeptiert diesen Webhook nicht (falsches oder gelöschtes Geheimnis). Kopieren Sie die Webhook-URL erneut aus Bitrix24 und verbinden Sie sich neu."],
    // Column model (issue 14; src/report/columns.rs, i18n::ReportLabels)
    ColResponsible => ["Responsible", "Исполнитель", "Виконавець", "Verantwortlich"],
    ColCreatedBy => ["Created by", "Постановщик", "Постановник", "Erstellt von"],
    ColProject => ["Project", "Проект", "Проєкт", "Projekt"],
    ColDeadline => ["Deadline", "Крайний срок", "Кінцевий термін", "Frist"],
    ColCreated => ["Created", "Создана", "Створено", "Erstellt"],
    ColChanged => ["Changed", "Изменена", "Змінено", "Geändert"],
    ColClosed => ["Closed", "Закрыта", "Закрито", "Abgeschlossen am"],
    ColTimeEstimate => ["Time estimate", "Оценка времени", "Оцінка часу", "Geschätzte Zeit"],
    ColTimeSpent => ["Time spent", "Затрачено", "Витрачено", "Aufgewendete Zeit"],
    Columns => ["Columns", "Колонки", "Колонки", "Spalten"],
    ColumnUp => ["Move up", "Выше", "Вище", "Nach oben"],
    ColumnDown => ["Move down", "Ниже", "Нижче", "Nach unten"],
    ColumnsReset => ["Default columns", "Колонки по умолчанию", "Колонки за замовчуванням", "Standardspalten"],
    ColumnResize => ["Resize column: {column}", "Ширина колонки: {column}", "Ширина колонки: {column}", "Spaltenbreite: {column}"],
    ColumnMoveUp => ["Move {column} up", "Переместить «{column}» выше", "Перемістити «{column}» вище", "{column} nach oben"],
    ColumnMoveDown => ["Move {column} down", "Переместить «{column}» ниже", "Перемістити «{column}» нижче", "{column} nach unten"],
    TotalRow => ["Total", "Итого", "Разом", "Summe"],
    DueToday => ["today", "сегодня", "сьогодні", "heute"],
    DueTomorrow => ["tomorrow", "завтра", "завтра", "morgen"],
    OverdueToday => ["overdue today", "просрочена сегодня", "прострочено сьогодні", "heute überfällig"],
    // Status, meta status and priority labels (src/i18n.rs status_label, meta_label, priority_label)
    StatusNew => ["New", "Новая", "Нове", "Neu"],
    StatusPending => ["Pending", "Ждет выполнения", "Очікує виконання", "Ausstehend"],
    StatusInProgress => ["In progress", "Выполняется", "Виконується", "In Arbeit"],
    StatusSupposedlyCompleted => ["Pending review", "Ждет контроля", "Очікує контролю", "Wartet auf Kontrolle"],
    StatusCompleted => ["Completed", "Завершена", "Завершено", "Abgeschlossen"],
    StatusDeferred => ["Deferred", "Отложена", "Відкладено", "Zurückgestellt"],
    StatusDeclined => ["Declined", "Отклонена", "Відхилено", "Abgelehnt"],
    MetaOverdue => ["Overdue", "Просрочена", "Прострочено", "Überfällig"],
    MetaAlmostOverdue => ["Almost overdue", "Почти просрочена", "Майже прострочено", "Fast überfällig"],
    MetaUnviewed => ["Unviewed", "Не просмотрена", "Не переглянуто", "Nicht angesehen"],
    PriorityLow => ["Low", "Низкий", "Низький", "Niedrig"],
    PriorityMedium => ["Medium", "Средний", "Середній", "Mittel"],
    PriorityHigh => ["High", "Высокий", "Високий", "Hoch"],
    UnknownValue => ["Unknown", "Неизвестно", "Невідомо", "Unbekannt"],
    // Excel export (issue 16; src/export)
    ExportXlsx => ["Excel", "Excel", "Excel", "Excel"],
    XlsxFailed => ["Excel failed; CSV downloaded.", "Excel не удался, скачан CSV.", "Excel не вдався, завантажено CSV.", "Excel fehlgeschlagen, CSV geladen."],
}
