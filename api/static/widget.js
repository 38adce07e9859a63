/*
 * madoguchi web chat widget. One tag embeds it in any page:
 *
 *   <script src="https://HOST/widget.js" data-title="ひかり野市 AI窓口" data-color="#0b57d0" defer></script>
 *
 * data-title  panel title (default 「AI窓口 まどぐち」)
 * data-color  brand colour; a colour too light for white text falls back to #0b57d0
 * data-api    optional api base URL (default: the folder widget.js was loaded from)
 *
 * Plain JS, no dependencies, no build step. Everything lives in a shadow root, so the
 * page's styles and the widget's do not affect each other. Bot and resident text is only
 * ever inserted as text nodes (never as HTML); only http/https URLs become links.
 * The conversation (sender id, last 50 messages, open/closed, text size) is kept in
 * sessionStorage so it survives navigation within the site; the 「ふりがな」 choice is kept in
 * localStorage, so it also holds on the resident's next visit.
 *
 * ふりがな: with the switch on, the widget asks /api/chat with "furigana": true and the api gives
 * each bot message its segments ({text, reading}); they are drawn as <ruby>漢字<rt>かんじ</rt></ruby>
 * with DOM methods. Switched on, it asks /api/chat/furigana once for the messages already shown
 * without them (those that came while it was off, and the greeting). Screen readers read ruby badly (NVDA, VoiceOver and TalkBack read the kanji and
 * then the reading, and a word split around its okurigana is read in pieces), so the ruby drawing is
 * aria-hidden and the same text is there once, whole, as visually hidden text; links stay real
 * links between the two.
 *
 * Language: a menu in the header (each language by its own name) sets the resident's language,
 * kept in localStorage like ふりがな. The widget's own texts and greeting follow it (the table I18N
 * below), every /api/chat request carries it as "lang", and each message has the lang attribute of
 * its text: the api says which language each bot message is in (a city's Japanese answer shown to an
 * English speaker is "ja"). In やさしい日本語 or another language, Japanese messages come with ふりがな
 * from the api without the switch (kanji are the barrier).
 */
(function () {
  "use strict";
  if (window.__madoguchiWidget) return;
  window.__madoguchiWidget = true;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var scriptSrc = script && script.src ? script.src : location.href;
  var attr = function (name) { return (script && script.getAttribute(name)) || ""; };
  var API = new URL(attr("data-api") || ".", scriptSrc).href.replace(/\/?$/, "/");
  var TITLE = attr("data-title").trim() || "AI窓口 まどぐち";
  var DEFAULT_COLOR = "#0b57d0";
  var STORE_KEY = "madoguchi-widget";
  var PREFS_KEY = "madoguchi-widget-prefs"; // localStorage: the resident's choices across visits
  var MAX_LOG = 50;
  var POLL_MS = 20000;
  var TIMEOUT_MS = 60000;
  var RUBY_MAX_TEXTS = 60, RUBY_MAX_CHARS = 20000; // what /api/chat/furigana reads in one call
  var SENDER_RE = /^web:[0-9a-f]{32}$/;
  // The greeting's choices send these Japanese questions whatever the language: the bot answers a
  // question in the resident's language from the Japanese FAQ (the api is told the language). Talking
  // to staff is the bot's command in other languages (typed words in them go to the FAQ search).
  var GREETING_ASKS = [{ text: "住民票の写しを取りたい" }, { text: "粗大ごみの出し方" }, { text: "職員と話したい" }];
  var GREETING_ASKS_ELSEWHERE = [{ text: "住民票の写しはどこで取れますか" }, GREETING_ASKS[1], { payload: "/request_staff" }];
  // Each language's widget texts: keys as in I18N.ja; a language without a key falls back to Japanese.
  var I18N = {};
  I18N.ja = {
    name: "日本語",
    title: "AI窓口 まどぐち",
    greeting: "こんにちは。AIがお答えする窓口です。手続きや市のサービスについて、24時間いつでもご質問ください。\n" +
      "火事・救急は119番、事件・事故は110番へお電話ください。",
    asks: ["住民票の写しを取りたい", "粗大ごみの出し方", "職員と話したい"],
    language: "言語（Language）",
    log: "会話",
    launcher: "AIに質問する",
    large: "文字を大きく",
    furigana: "ふりがな",
    close: "閉じる",
    closeLabel: "チャットを閉じる",
    inputLabel: "ご質問",
    placeholder: "例：住民票を取りたい",
    hint: "Enterで送信、Shift+Enterで改行",
    send: "送信",
    typing: "回答を準備しています…",
    retry: "もう一度送る",
    offline: "通信できませんでした。インターネット接続を確かめて、もう一度送ってください。",
    busy: "ただいま混み合っているか、一時的にご利用いただけません。しばらくしてからもう一度お試しください。",
    failed: "送信できませんでした。もう一度お試しください。",
    invalid: "送信された内容を読み取れませんでした。入力を確かめてください。",
    note: "マイナンバーや口座番号は入力しないでください。",
    you: "あなた：",
    bot: "AI窓口：",
    staff: "職員からの回答",
    replies: "返信の候補",
    feedback: "回答の評価",
    newTab: "（新しいタブで開きます）",
    helpful: "役に立った",
    notHelpful: "役に立たなかった",
    liveWaiting: "職員におつなぎしています。このままお待ちください。", liveOn: "職員とチャットしています",
    liveEnd: "職員とのチャットを終える", liveTyping: "{label}が入力しています…"
  };
  I18N["ja-easy"] = {
    name: "やさしい日本語",
    title: "AI窓口 まどぐち",
    greeting: "こんにちは。AI（コンピューター）が 答えます。市役所の 手続きや サービスについて、いつでも 質問してください。\n" +
      "火事や 救急は 119、事件や 事故は 110に 電話してください。",
    asks: ["住民票が ほしい", "大きい ごみの 出し方", "市役所の 人と 話したい"],
    furigana: "ふりがな", language: "ことば（Language）",
    log: "話",
    launcher: "AIに 質問する",
    large: "字を 大きく",
    close: "閉じる",
    closeLabel: "チャットを 閉じる",
    inputLabel: "質問",
    placeholder: "例：住民票が ほしい",
    hint: "Enterで 送ります。Shift+Enterで 次の 行に なります",
    send: "送る",
    typing: "答えを 作っています…",
    retry: "もう一度 送る",
    offline: "送ることが できませんでした。インターネットに つながっているか 確かめて、もう一度 送ってください。",
    busy: "今 こんでいるか、使うことが できません。少し 待ってから、もう一度 してください。",
    failed: "送ることが できませんでした。もう一度 してください。",
    invalid: "送ったことが わかりませんでした。書いたことを 確かめてください。",
    note: "マイナンバーや 銀行の 口座番号は 書かないでください。",
    you: "あなた：",
    bot: "AI窓口：",
    staff: "市役所の 人からの 答え",
    replies: "答えの 例",
    feedback: "答えは どうでしたか",
    newTab: "（新しい タブで 開きます）",
    helpful: "わかった",
    notHelpful: "わからなかった",
    liveWaiting: "市役所の 人に つないでいます。このまま 待ってください。", liveOn: "市役所の 人と チャットしています",
    liveEnd: "市役所の 人との チャットを やめる", liveTyping: "{label}が 書いています…"
  };
  I18N.en = {
    name: "English", title: "AI assistant Madoguchi",
    greeting: "Hello. This is an AI assistant. Ask about procedures and city services at any time, 24 hours a day.\n" +
      "For a fire or an ambulance, call 119. For a crime or an accident, call 110.",
    asks: ["Get a copy of my residence certificate", "How to put out large garbage", "Talk to staff"],
    furigana: "Furigana", language: "Language", log: "Conversation", launcher: "Ask the AI", large: "Larger text", close: "Close",
    closeLabel: "Close the chat", inputLabel: "Your question", placeholder: "Example: residence certificate",
    hint: "Enter to send, Shift+Enter for a new line", send: "Send", typing: "Preparing an answer…", retry: "Send again",
    offline: "Could not connect. Please check your internet connection and send again.",
    busy: "The service is busy or temporarily unavailable. Please try again in a little while.",
    failed: "Could not send. Please try again.", invalid: "Your message could not be read. Please check what you typed.",
    note: "Please do not type your My Number or bank account numbers.", you: "You: ", bot: "AI assistant: ",
    staff: "Answer from city staff", replies: "Suggested replies", feedback: "Rate this answer",
    newTab: " (opens in a new tab)", helpful: "Helpful", notHelpful: "Not helpful",
    liveWaiting: "Connecting you to a staff member. Please wait.", liveOn: "Chatting with staff",
    liveEnd: "End chat with staff", liveTyping: "{label} is typing…"
  };
  I18N["zh-Hans"] = {
    name: "中文（简体）", title: "AI咨询窗口 Madoguchi",
    greeting: "您好。这里是由AI回答的咨询窗口。关于各种手续和市政服务，24小时随时欢迎提问。\n火灾、急救请拨打119，案件、事故请拨打110。",
    asks: ["想办理住民票的副本", "大件垃圾的扔法", "想和工作人员交谈"],
    furigana: "假名注音", language: "语言（Language）", log: "对话", launcher: "向AI提问", large: "放大文字", close: "关闭",
    closeLabel: "关闭聊天", inputLabel: "您的问题", placeholder: "例：想办理住民票",
    hint: "按Enter发送，Shift+Enter换行", send: "发送", typing: "正在准备回答…", retry: "重新发送",
    offline: "无法连接。请检查网络连接后重新发送。", busy: "目前繁忙或暂时无法使用。请稍后再试。",
    failed: "发送失败。请再试一次。", invalid: "无法识别发送的内容。请检查输入。",
    note: "请不要输入个人编号（My Number）或银行账号。", you: "您：", bot: "AI窗口：",
    staff: "工作人员的回复", replies: "回复选项", feedback: "评价回答",
    newTab: "（在新标签页中打开）", helpful: "有帮助", notHelpful: "没有帮助",
    liveWaiting: "正在为您转接工作人员，请稍候。", liveOn: "正在与工作人员聊天",
    liveEnd: "结束与工作人员的聊天", liveTyping: "{label}正在输入…"
  };
  I18N.ko = {
    name: "한국어", title: "AI 창구 마도구치",
    greeting: "안녕하세요. AI가 답변하는 창구입니다. 수속이나 시의 서비스에 대해 24시간 언제든지 질문해 주세요.\n화재·구급은 119, 사건·사고는 110에 전화해 주세요.",
    asks: ["주민표 사본을 발급받고 싶어요", "대형 쓰레기 버리는 방법", "직원과 이야기하고 싶어요"],
    furigana: "후리가나", language: "언어(Language)", log: "대화", launcher: "AI에게 질문하기", large: "글자 크게", close: "닫기",
    closeLabel: "채팅 닫기", inputLabel: "질문", placeholder: "예: 주민표를 발급받고 싶어요",
    hint: "Enter로 보내기, Shift+Enter로 줄 바꿈", send: "보내기", typing: "답변을 준비하고 있습니다…", retry: "다시 보내기",
    offline: "연결할 수 없습니다. 인터넷 연결을 확인하고 다시 보내 주세요.",
    busy: "지금은 혼잡하거나 일시적으로 이용할 수 없습니다. 잠시 후에 다시 시도해 주세요.",
    failed: "보내지 못했습니다. 다시 시도해 주세요.", invalid: "보낸 내용을 읽지 못했습니다. 입력을 확인해 주세요.",
    note: "마이넘버나 계좌 번호는 입력하지 마세요.", you: "나: ", bot: "AI 창구: ",
    staff: "직원의 답변", replies: "답변 후보", feedback: "답변 평가",
    newTab: " (새 탭에서 열림)", helpful: "도움이 됐어요", notHelpful: "도움이 안 됐어요",
    liveWaiting: "직원에게 연결하고 있습니다. 이대로 기다려 주세요.", liveOn: "직원과 채팅 중",
    liveEnd: "직원과의 채팅 끝내기", liveTyping: "{label}에서 입력하고 있습니다…"
  };
  I18N.vi = {
    name: "Tiếng Việt", title: "Trợ lý AI Madoguchi",
    greeting: "Xin chào. Đây là quầy hỏi đáp do AI trả lời. Bạn có thể hỏi về thủ tục và dịch vụ của thành phố bất cứ lúc nào, 24 giờ mỗi ngày.\n" +
      "Hỏa hoạn, cấp cứu hãy gọi 119; vụ án, tai nạn hãy gọi 110.",
    asks: ["Lấy bản sao phiếu cư trú", "Cách bỏ rác cỡ lớn", "Nói chuyện với nhân viên"],
    furigana: "Furigana", language: "Ngôn ngữ (Language)", log: "Cuộc trò chuyện", launcher: "Hỏi AI", large: "Chữ lớn hơn", close: "Đóng",
    closeLabel: "Đóng cuộc trò chuyện", inputLabel: "Câu hỏi của bạn", placeholder: "Ví dụ: Tôi muốn lấy phiếu cư trú",
    hint: "Enter để gửi, Shift+Enter để xuống dòng", send: "Gửi", typing: "Đang chuẩn bị câu trả lời…", retry: "Gửi lại",
    offline: "Không thể kết nối. Vui lòng kiểm tra kết nối internet và gửi lại.",
    busy: "Dịch vụ đang bận hoặc tạm thời không dùng được. Vui lòng thử lại sau một lúc.",
    failed: "Không gửi được. Vui lòng thử lại.", invalid: "Không đọc được nội dung đã gửi. Vui lòng kiểm tra lại.",
    note: "Xin đừng nhập mã số cá nhân (My Number) hay số tài khoản ngân hàng.", you: "Bạn: ", bot: "Trợ lý AI: ",
    staff: "Câu trả lời của nhân viên", replies: "Gợi ý trả lời", feedback: "Đánh giá câu trả lời",
    newTab: " (mở trong thẻ mới)", helpful: "Hữu ích", notHelpful: "Không hữu ích",
    liveWaiting: "Đang kết nối với nhân viên. Vui lòng chờ trong giây lát.", liveOn: "Đang trò chuyện với nhân viên",
    liveEnd: "Kết thúc trò chuyện với nhân viên", liveTyping: "{label} đang nhập…"
  };
  I18N.pt = {
    name: "Português", title: "Assistente de IA Madoguchi",
    greeting: "Olá. Este é um atendimento respondido por IA. Pergunte sobre procedimentos e serviços da prefeitura a qualquer hora, 24 horas por dia.\n" +
      "Incêndio e ambulância, ligue para o 119; crimes e acidentes, para o 110.",
    asks: ["Tirar uma cópia do atestado de residência", "Como jogar fora lixo grande", "Falar com um funcionário"],
    furigana: "Furigana", language: "Idioma (Language)", log: "Conversa", launcher: "Perguntar à IA", large: "Letra maior", close: "Fechar",
    closeLabel: "Fechar o chat", inputLabel: "Sua pergunta", placeholder: "Exemplo: Preciso do atestado de residência",
    hint: "Enter para enviar, Shift+Enter para nova linha", send: "Enviar", typing: "Preparando a resposta…", retry: "Enviar de novo",
    offline: "Não foi possível conectar. Verifique a conexão com a internet e envie de novo.",
    busy: "O serviço está ocupado ou indisponível no momento. Tente novamente daqui a pouco.",
    failed: "Não foi possível enviar. Tente novamente.", invalid: "Não foi possível ler a mensagem. Confira o que digitou.",
    note: "Não digite o seu My Number nem números de conta bancária.", you: "Você: ", bot: "Assistente de IA: ",
    staff: "Resposta dos funcionários", replies: "Respostas sugeridas", feedback: "Avaliar a resposta",
    newTab: " (abre em nova aba)", helpful: "Ajudou", notHelpful: "Não ajudou",
    liveWaiting: "Transferindo você para um funcionário. Aguarde, por favor.", liveOn: "Em conversa com um funcionário",
    liveEnd: "Encerrar chat com funcionário", liveTyping: "{label} está digitando…"
  };
  I18N.es = {
    name: "Español", title: "Asistente de IA Madoguchi",
    greeting: "Hola. Este es un servicio de atención respondido por IA. Pregunte sobre trámites y servicios municipales cuando quiera, las 24 horas.\n" +
      "Para incendios y ambulancias, llame al 119; para delitos y accidentes, al 110.",
    asks: ["Obtener una copia del certificado de residencia", "Cómo tirar basura grande", "Hablar con el personal"],
    furigana: "Furigana", language: "Idioma (Language)", log: "Conversación", launcher: "Preguntar a la IA", large: "Letra más grande", close: "Cerrar",
    closeLabel: "Cerrar el chat", inputLabel: "Su pregunta", placeholder: "Ejemplo: Necesito el certificado de residencia",
    hint: "Enter para enviar, Mayús+Enter para una nueva línea", send: "Enviar", typing: "Preparando la respuesta…", retry: "Enviar de nuevo",
    offline: "No se pudo conectar. Compruebe su conexión a internet y envíe de nuevo.",
    busy: "El servicio está ocupado o no disponible por ahora. Inténtelo de nuevo dentro de un rato.",
    failed: "No se pudo enviar. Inténtelo de nuevo.", invalid: "No se pudo leer el mensaje. Compruebe lo que escribió.",
    note: "No escriba su My Number ni números de cuenta bancaria.", you: "Usted: ", bot: "Asistente de IA: ",
    staff: "Respuesta del personal", replies: "Respuestas sugeridas", feedback: "Valorar la respuesta",
    newTab: " (se abre en una pestaña nueva)", helpful: "Me ayudó", notHelpful: "No me ayudó",
    liveWaiting: "Le estamos comunicando con el personal. Espere, por favor.", liveOn: "Chateando con el personal",
    liveEnd: "Terminar el chat con el personal", liveTyping: "{label} está escribiendo…"
  };
  I18N.fil = {
    name: "Filipino", title: "AI assistant Madoguchi",
    greeting: "Kumusta po. Ito ay serbisyong sinasagot ng AI. Magtanong tungkol sa mga proseso at serbisyo ng lungsod anumang oras, 24 oras.\n" +
      "Sa sunog o ambulansya, tumawag sa 119; sa krimen o aksidente, sa 110.",
    asks: ["Kumuha ng kopya ng residence certificate", "Paano magtapon ng malaking basura", "Makipag-usap sa kawani"],
    furigana: "Furigana", language: "Wika (Language)", log: "Usapan", launcher: "Magtanong sa AI", large: "Mas malaking titik", close: "Isara",
    closeLabel: "Isara ang chat", inputLabel: "Ang inyong tanong", placeholder: "Halimbawa: Kailangan ko ng residence certificate",
    hint: "Enter para ipadala, Shift+Enter para bagong linya", send: "Ipadala", typing: "Inihahanda ang sagot…", retry: "Ipadala ulit",
    offline: "Hindi makakonekta. Pakisuri ang koneksyon sa internet at ipadala ulit.",
    busy: "Abala o pansamantalang hindi magagamit ang serbisyo. Pakisubukan ulit mamaya.",
    failed: "Hindi naipadala. Pakisubukan ulit.", invalid: "Hindi mabasa ang ipinadala. Pakisuri ang isinulat.",
    note: "Huwag isulat ang inyong My Number o numero ng bank account.", you: "Kayo: ", bot: "AI assistant: ",
    staff: "Sagot ng kawani", replies: "Mga mungkahing sagot", feedback: "I-rate ang sagot",
    newTab: " (magbubukas sa bagong tab)", helpful: "Nakatulong", notHelpful: "Hindi nakatulong",
    liveWaiting: "Ikinokonekta kayo sa isang kawani. Maghintay lang po.", liveOn: "Nakikipag-chat sa kawani",
    liveEnd: "Tapusin ang chat sa kawani", liveTyping: "Nagta-type ang {label}…"
  };
  I18N.ne = {
    name: "नेपाली", title: "AI सहायक माडोगुची",
    greeting: "नमस्ते। यो AI ले जवाफ दिने सोधपुछ सेवा हो। प्रक्रिया र नगरपालिकाका सेवाबारे 24 घण्टा जुनसुकै बेला सोध्नुहोस्।\n" +
      "आगलागी र एम्बुलेन्सका लागि 119, अपराध र दुर्घटनाका लागि 110 मा फोन गर्नुहोस्।",
    asks: ["बसोबास प्रमाणपत्रको प्रतिलिपि लिन चाहन्छु", "ठूलो फोहोर फाल्ने तरिका", "कर्मचारीसँग कुरा गर्न चाहन्छु"],
    furigana: "फुरिगाना", language: "भाषा (Language)", log: "कुराकानी", launcher: "AI लाई सोध्नुहोस्", large: "ठूलो अक्षर", close: "बन्द गर्नुहोस्",
    closeLabel: "च्याट बन्द गर्नुहोस्", inputLabel: "तपाईंको प्रश्न", placeholder: "उदाहरण: बसोबास प्रमाणपत्र चाहियो",
    hint: "पठाउन Enter, नयाँ लाइनका लागि Shift+Enter", send: "पठाउनुहोस्", typing: "जवाफ तयार हुँदैछ…", retry: "फेरि पठाउनुहोस्",
    offline: "जडान हुन सकेन। इन्टरनेट जडान जाँचेर फेरि पठाउनुहोस्।",
    busy: "सेवा अहिले व्यस्त छ वा केही समय प्रयोग गर्न सकिँदैन। केही बेरपछि फेरि प्रयास गर्नुहोस्।",
    failed: "पठाउन सकिएन। फेरि प्रयास गर्नुहोस्।", invalid: "पठाइएको कुरा पढ्न सकिएन। लेखेको कुरा जाँच्नुहोस्।",
    note: "आफ्नो My Number वा बैंक खाता नम्बर नलेख्नुहोस्।", you: "तपाईं: ", bot: "AI सहायक: ",
    staff: "कर्मचारीको जवाफ", replies: "सुझाइएका जवाफ", feedback: "जवाफको मूल्याङ्कन",
    newTab: " (नयाँ ट्याबमा खुल्छ)", helpful: "उपयोगी भयो", notHelpful: "उपयोगी भएन",
    liveWaiting: "कर्मचारीसँग जोड्दै छौं। कृपया पर्खनुहोस्।", liveOn: "कर्मचारीसँग च्याट भइरहेको छ",
    liveEnd: "कर्मचारीसँगको च्याट अन्त्य गर्नुहोस्", liveTyping: "{label} टाइप गर्दै हुनुहुन्छ…"
  };
  I18N.id = {
    name: "Bahasa Indonesia", title: "Asisten AI Madoguchi",
    greeting: "Halo. Ini adalah layanan tanya jawab yang dijawab oleh AI. Silakan bertanya tentang prosedur dan layanan kota kapan saja, 24 jam.\n" +
      "Kebakaran dan ambulans, telepon 119; kejahatan dan kecelakaan, telepon 110.",
    asks: ["Mendapatkan salinan surat keterangan domisili", "Cara membuang sampah besar", "Bicara dengan petugas"],
    furigana: "Furigana", language: "Bahasa (Language)", log: "Percakapan", launcher: "Tanya AI", large: "Huruf lebih besar", close: "Tutup",
    closeLabel: "Tutup obrolan", inputLabel: "Pertanyaan Anda", placeholder: "Contoh: Saya perlu surat keterangan domisili",
    hint: "Enter untuk mengirim, Shift+Enter untuk baris baru", send: "Kirim", typing: "Menyiapkan jawaban…", retry: "Kirim lagi",
    offline: "Tidak dapat terhubung. Periksa koneksi internet Anda lalu kirim lagi.",
    busy: "Layanan sedang sibuk atau sementara tidak tersedia. Silakan coba lagi sebentar lagi.",
    failed: "Gagal mengirim. Silakan coba lagi.", invalid: "Pesan tidak dapat dibaca. Periksa kembali isian Anda.",
    note: "Jangan mengetik My Number atau nomor rekening bank Anda.", you: "Anda: ", bot: "Asisten AI: ",
    staff: "Jawaban dari petugas", replies: "Saran balasan", feedback: "Nilai jawaban ini",
    newTab: " (terbuka di tab baru)", helpful: "Membantu", notHelpful: "Tidak membantu",
    liveWaiting: "Anda sedang disambungkan dengan petugas. Silakan tunggu.", liveOn: "Sedang mengobrol dengan petugas",
    liveEnd: "Akhiri obrolan dengan petugas", liveTyping: "{label} sedang mengetik…"
  };
  var LANGS = ["ja", "ja-easy", "en", "zh-Hans", "ko", "vi", "pt", "es", "fil", "ne", "id"];
  // the HTML lang of a text in one of our languages (やさしい日本語 is Japanese)
  function htmlLang(lang) { return lang === "ja-easy" ? "ja" : (LANGS.indexOf(lang) >= 0 ? lang : "ja"); }
  function isJapanese(lang) { return lang === "ja" || lang === "ja-easy"; }
  var T = I18N.ja;
  function setTexts(lang) {
    T = {};
    Object.keys(I18N.ja).forEach(function (k) { T[k] = k in I18N[lang] ? I18N[lang][k] : I18N.ja[k]; });
  }
  function greeting(lang) {
    var g = I18N[lang] || I18N.ja;
    var asks = lang === "ja" ? GREETING_ASKS : GREETING_ASKS_ELSEWHERE;
    return { who: "bot", text: g.greeting, lang: lang, buttons: cleanButtons(g.asks.map(function (title, i) {
      return asks[i].payload ? { title: title, payload: asks[i].payload } : { title: title, text: asks[i].text };
    })) };
  }

  // ---- colour: brand colour only when white text on it meets WCAG AA (4.5:1) ----
  function parseColor(value) {
    if (!value) return null;
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext && canvas.getContext("2d");
    if (!ctx) return null;
    ctx.fillStyle = "#000000"; ctx.fillStyle = value; var a = ctx.fillStyle;
    ctx.fillStyle = "#ffffff"; ctx.fillStyle = value; var b = ctx.fillStyle;
    if (a !== b) return null; // not a colour: the sentinel was kept
    var m = /^#([0-9a-f]{6})$/i.exec(a); // translucent colours come back as rgba(): refused
    if (!m) return null;
    return [0, 2, 4].map(function (i) { return parseInt(m[1].slice(i, i + 2), 16); });
  }
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(x, y) {
    var a = luminance(x), b = luminance(y);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  function hex(rgb) {
    return "#" + rgb.map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join("");
  }
  var WHITE = [255, 255, 255];
  var BOT_BG = [240, 243, 247]; // #f0f3f7, the bot bubble
  var accentRgb = parseColor(attr("data-color").trim());
  if (!accentRgb || contrast(accentRgb, WHITE) < 4.5) accentRgb = parseColor(DEFAULT_COLOR) || [11, 87, 208];
  var linkRgb = accentRgb.slice();
  while (contrast(linkRgb, BOT_BG) < 4.5) linkRgb = linkRgb.map(function (v) { return v * 0.9; });
  var ACCENT = hex(accentRgb);
  var LINK = hex(linkRgb);
  var TINT = hex(accentRgb.map(function (v) { return 255 - (255 - v) * 0.1; })); // light background of the brand colour

  // ---- state kept across page loads (sessionStorage of the embedding site) ----
  var state = { sender: null, open: false, large: false, furigana: false, lang: "ja", log: [], seq: 0 };
  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (!saved || typeof saved !== "object") return;
      if (typeof saved.sender === "string" && SENDER_RE.test(saved.sender)) state.sender = saved.sender;
      state.open = saved.open === true;
      state.large = saved.large === true;
      state.live = saved.live === true; // a live chat with staff was open: polling resumes
      state.liveAfter = typeof saved.liveAfter === "number" && saved.liveAfter >= 0 ? saved.liveAfter : 0;
      if (Array.isArray(saved.log)) {
        state.log = saved.log.filter(function (e) {
          return e && (e.who === "user" || e.who === "bot") && typeof e.text === "string";
        }).slice(-MAX_LOG).map(function (e) {
          return { id: Number(e.id) || 0, who: e.who, text: e.text, buttons: cleanButtons(e.buttons),
                   chosen: typeof e.chosen === "string" ? e.chosen : null, staff: e.staff === true,
                   from: typeof e.from === "string" ? e.from.slice(0, 100) : null, system: e.system === true,
                   ruby: cleanRuby(e.ruby, e.text), lang: cleanLang(e.lang) };
        });
      }
      state.seq = state.log.reduce(function (n, e) { return Math.max(n, e.id); }, 0);
    } catch (e) { /* storage disabled or corrupt: start afresh */ }
    try {
      var prefs = JSON.parse(localStorage.getItem(PREFS_KEY) || "null");
      state.furigana = !!prefs && prefs.furigana === true;
      state.lang = cleanLang(prefs && prefs.lang);
    } catch (e) { /* storage disabled: ふりがな off, Japanese */ }
    setTexts(state.lang);
  }
  function cleanLang(lang) { return LANGS.indexOf(lang) >= 0 ? lang : "ja"; }
  function savePrefs() {
    try {
      localStorage.setItem(PREFS_KEY, JSON.stringify({ furigana: state.furigana, lang: state.lang }));
    } catch (e) { /* storage disabled: the choice holds on this page only */ }
  }
  function save() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify({
        sender: state.sender, open: state.open, large: state.large, log: state.log.slice(-MAX_LOG),
        live: state.live === true, liveAfter: state.liveAfter || 0
      }));
    } catch (e) { /* storage full or disabled: the chat still works on this page */ }
  }
  // The api's ふりがな segments of a message, or null: pieces that join back into its text, each
  // with a kana reading or none (sessionStorage is page-writable: checked like the api's reply).
  function cleanRuby(list, text) {
    if (!Array.isArray(list) || typeof text !== "string") return null;
    var ok = list.every(function (s) {
      return s && typeof s.text === "string" && (s.reading === null || typeof s.reading === "string");
    });
    if (!ok || list.map(function (s) { return s.text; }).join("") !== text) return null;
    return list.map(function (s) { return { text: s.text, reading: s.reading || null }; });
  }
  function cleanButtons(list) {
    if (!Array.isArray(list)) return [];
    return list.filter(function (b) {
      return b && typeof b.title === "string" && (typeof b.payload === "string" || typeof b.text === "string");
    }).map(function (b) {
      var out = typeof b.payload === "string" ? { title: b.title, payload: b.payload } : { title: b.title, text: b.text };
      var ruby = cleanRuby(b.ruby || b.furigana, b.title); // stored as ruby, from the api as furigana
      if (ruby) out.ruby = ruby;
      return out;
    });
  }
  load();
  var TITLE_GIVEN = !!attr("data-title").trim(); // the city's own title: Japanese, whatever the language

  // ---- DOM ----
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) Object.keys(props).forEach(function (k) {
      if (k === "text") node.textContent = props[k];
      else if (k === "class") node.className = props[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), props[k]);
      else if (props[k] === true) node.setAttribute(k, "");
      else if (props[k] !== false && props[k] != null) node.setAttribute(k, props[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function svg(path, size) {
    var ns = "http://www.w3.org/2000/svg";
    var s = document.createElementNS(ns, "svg");
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("width", size || 24); s.setAttribute("height", size || 24);
    s.setAttribute("aria-hidden", "true"); s.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path); p.setAttribute("fill", "currentColor");
    s.appendChild(p);
    return s;
  }
  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5A1.5 1.5 0 1 0 7 13.5 1.5 1.5 0 0 0 7 10.5zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z";
  var ICON_CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z";
  var ICON_SEND = "M3 20.5V14l9-2-9-2V3.5L22 12z";

  var CSS = [
    ":host{all:initial!important}", // page styles (even !important ones) stay outside
    ".root{--accent:" + ACCENT + ";--link:" + LINK + ";--tint:" + TINT + ";",
    "font-family:system-ui,-apple-system,'Hiragino Sans','Hiragino Kaku Gothic ProN','Noto Sans JP','Noto Sans CJK JP','Yu Gothic UI',Meiryo,sans-serif;",
    "font-size:16px;line-height:1.7;color:#1b1f24;-webkit-text-size-adjust:100%}",
    ".root.large{font-size:20px}",
    ".root *,.root *::before,.root *::after{box-sizing:border-box}",
    "button,textarea{font:inherit;color:inherit;letter-spacing:inherit}",
    "button{cursor:pointer}",
    ".vh{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    ":focus{outline:none}",
    ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}",
    // launcher
    ".launcher{position:fixed;right:24px;bottom:24px;z-index:2147483000;display:inline-flex;align-items:center;gap:.5em;",
    "min-height:56px;padding:.75em 1.4em;border:0;border-radius:999px;background:var(--accent);color:#fff;font-weight:700;",
    "box-shadow:0 6px 20px rgba(0,0,0,.25)}",
    ".launcher:hover{filter:brightness(.92)}",
    ".launcher:focus-visible{outline:3px solid var(--accent);outline-offset:3px;box-shadow:0 0 0 3px #fff,0 6px 20px rgba(0,0,0,.25)}",
    // panel
    ".panel{position:fixed;right:24px;bottom:96px;z-index:2147483001;display:flex;flex-direction:column;",
    "width:min(440px,calc(100vw - 32px));height:min(680px,calc(100vh - 120px));background:#fff;border:1px solid #c4cad3;",
    "border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden}",
    ".panel[hidden]{display:none}",
    // the title keeps room for a few words; the buttons wrap below it, together, when it would not
    ".header{display:flex;flex-wrap:wrap;align-items:center;gap:.4em;padding:.55em .6em .55em 1em;background:var(--accent);color:#fff;flex:none}",
    ".header .tools{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:.4em;margin-left:auto}",
    ".header h2{flex:1 1 9em;margin:0;font-size:1.05em;font-weight:700;line-height:1.35;min-width:0;overflow-wrap:anywhere;word-break:auto-phrase}",
    ".header button{display:inline-flex;align-items:center;gap:.3em;min-height:44px;padding:.3em .7em;border:2px solid rgba(255,255,255,.9);",
    "border-radius:8px;background:transparent;color:#fff;font-size:1em;white-space:nowrap}",
    ".header button:hover{background:rgba(255,255,255,.16)}",
    ".header button[aria-pressed=true]{background:#fff;color:var(--accent)}",
    ".header select{min-height:44px;max-width:8em;padding:.3em .4em;border:2px solid rgba(255,255,255,.9);border-radius:8px;",
    "background:var(--accent);color:#fff;font:inherit;font-size:1em}",
    ".header select option{background:#fff;color:#1b1f24}",
    ".bubble ruby,.replies ruby{ruby-position:over;ruby-align:center}",
    ".bubble rt,.replies rt{font-size:.6em;line-height:1.1}",
    ".msg.bot .bubble.ruby{line-height:2.1}", // room above each line for its readings
    ".header :focus-visible{outline-color:#fff}",
    ".header .close{justify-content:center;min-width:44px;padding:.2em}",
    ".scroller{position:relative;flex:1;overflow-y:auto;overscroll-behavior:contain;padding:1em .9em .5em;background:#fff}",
    ".log{display:flex;flex-direction:column;gap:.8em}",
    ".msg{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}",
    ".msg.user{align-items:flex-end}",
    ".bubble{max-width:88%;padding:.6em .9em;border-radius:4px 16px 16px 16px;background:#f0f3f7;",
    "white-space:pre-wrap;overflow-wrap:anywhere}",
    ".msg.user .bubble{border-radius:16px 4px 16px 16px;background:var(--accent);color:#fff}",
    ".msg.staff .bubble{background:#fff8e1;border:2px solid #8a5a00}",
    ".tag{font-size:1em;font-weight:700;color:#6b4600;margin:0 0 .2em .2em}",
    ".msg.system .bubble{background:#fff;border:1px dashed #5b6470;color:#3d4550}",
    ".live{flex:none;display:flex;flex-wrap:wrap;align-items:center;gap:.5em;margin:0 .9em .5em;padding:.4em .8em;",
    "border-left:5px solid #8a5a00;border-radius:8px;background:#fff8e1;color:#4a3000}",
    ".live[hidden]{display:none}",
    ".live p{margin:0;flex:1 1 12em;font-weight:700}",
    ".live button{min-height:44px;padding:.3em 1em;border:2px solid currentColor;border-radius:8px;background:#fff;color:inherit;font-weight:700}",
    ".bubble a{color:var(--link);text-decoration:underline;text-underline-offset:2px}",
    ".bubble a:hover{text-decoration-thickness:2px}",
    ".replies{display:flex;flex-wrap:wrap;gap:.5em;margin-top:.55em;max-width:100%}",
    ".replies button{min-height:44px;padding:.4em 1em;border:2px solid var(--accent);border-radius:999px;background:#fff;color:var(--accent);",
    "text-align:left;line-height:1.4}",
    ".replies button:hover{background:var(--tint)}",
    ".feedback{display:flex;gap:.6em;margin-top:.5em}",
    ".feedback button{display:inline-flex;align-items:center;justify-content:center;min-width:52px;min-height:44px;padding:.2em .8em;",
    "border:2px solid #5b6470;border-radius:999px;background:#fff;font-size:1.15em;line-height:1}",
    ".feedback button:hover:not(:disabled){border-color:var(--accent);background:var(--tint)}",
    ".feedback button:disabled{cursor:default;opacity:.55}",
    ".feedback button[aria-pressed=true]{opacity:1;border-color:var(--accent);background:var(--accent);box-shadow:inset 0 0 0 2px #fff}",
    ".feedback .thanks{align-self:center;color:#3d4550}",
    ".typing{display:flex;align-items:center;gap:.6em;margin-top:.8em;color:#3d4550}",
    ".typing:empty{display:none}",
    ".dots{display:inline-flex;gap:4px;padding:.75em .9em;border-radius:4px 16px 16px 16px;background:#f0f3f7}",
    ".dots i{width:8px;height:8px;border-radius:50%;background:#5b6470;animation:blink 1.2s infinite both}",
    ".dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}",
    "@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}",
    ".notice{flex:none;margin:0 .9em .5em;padding:.6em .8em;border-left:5px solid #b3261e;border-radius:8px;background:#fdecea;color:#5f1410;",
    "display:flex;flex-wrap:wrap;align-items:center;gap:.5em}",
    ".notice.busy{border-color:#8a5a00;background:#fff4e0;color:#4a3000}",
    ".notice[hidden]{display:none}",
    ".notice p{margin:0;flex:1 1 14em;white-space:pre-wrap}",
    ".notice button{min-height:44px;padding:.3em 1em;border:2px solid currentColor;border-radius:8px;background:#fff;font-weight:700}",
    ".form{flex:none;border-top:1px solid #d5dae1;padding:.6em .75em .5em;background:#fff}",
    ".row{display:flex;align-items:flex-end;gap:.5em}",
    "textarea{flex:1;min-height:48px;max-height:9em;resize:none;padding:.55em .75em;border:2px solid #6b7480;border-radius:10px;background:#fff;line-height:1.5}",
    "textarea::placeholder{color:#5f6670;opacity:1}",
    "textarea:focus-visible{outline-offset:1px;border-color:var(--accent)}",
    ".send{display:inline-flex;align-items:center;gap:.3em;min-height:48px;padding:.4em 1em;border:0;border-radius:10px;background:var(--accent);color:#fff;font-weight:700}",
    ".send:hover{filter:brightness(.92)}",
    ".send[aria-disabled=true]{cursor:progress}",
    ".note{margin:.35em .1em 0;color:#4a5360;font-size:1em;line-height:1.5;word-break:auto-phrase}",
    "@media (max-width:480px){",
    ".panel{inset:0;right:0;bottom:0;width:100%;height:100%;max-height:none;border:0;border-radius:0}",
    ".root.open .launcher{display:none}",
    ".bubble{max-width:94%}",
    ".launcher{right:16px;bottom:16px}",
        "}",
    "@media (prefers-reduced-motion:reduce){.dots i{animation:none;opacity:.6}}",
    "@media print{.root{display:none}}",
    "@media (forced-colors:active){.bubble,.replies button,.feedback button,.launcher,.send{border:2px solid CanvasText}}"
  ].join("");

  var host = el("div", { id: "madoguchi-widget", lang: htmlLang(state.lang) });
  var shadow = host.attachShadow({ mode: "open" });
  shadow.appendChild(el("style", { text: CSS }));

  var launcherText = el("span", { text: T.launcher });
  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "mw-panel" },
    [svg(ICON_CHAT, 26), launcherText]);
  // the language menu: each language by its own name, in its own language (lang on each option)
  var langLabel = el("label", { for: "mw-lang", class: "vh", text: T.language });
  var langSelect = el("select", { id: "mw-lang", class: "lang" }, LANGS.map(function (code) {
    return el("option", { value: code, lang: htmlLang(code), text: I18N[code].name });
  }));
  langSelect.value = state.lang;
  var largeBtn = el("button", { type: "button", class: "large-toggle", "aria-pressed": "false", text: T.large });
  var furiganaBtn = el("button", { type: "button", class: "furigana-toggle", "aria-pressed": "false", text: T.furigana });
  var closeBtn = el("button", { type: "button", class: "close", "aria-label": T.closeLabel, title: T.close }, [svg(ICON_CLOSE, 24)]);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": T.log });
  var typing = el("div", { class: "typing", role: "status", "aria-live": "polite" });
  var scroller = el("div", { class: "scroller" }, [log, typing]);
  var noticeText = el("p");
  var retryBtn = el("button", { type: "button", class: "retry", text: T.retry, hidden: true });
  var notice = el("div", { class: "notice", role: "alert", hidden: true }, [noticeText, retryBtn]);
  // live chat with staff (api/handover): what is happening, and the resident's way to end it
  var liveText = el("p", { role: "status" });
  var liveEndBtn = el("button", { type: "button", text: T.liveEnd });
  var liveBar = el("div", { class: "live", hidden: true }, [liveText, liveEndBtn]);
  var input = el("textarea", { id: "mw-input", rows: "1", maxlength: "1000", placeholder: T.placeholder,
    autocomplete: "off", "aria-describedby": "mw-hint mw-note", enterkeyhint: "send" });
  var sendText = el("span", { text: T.send });
  var sendBtn = el("button", { type: "submit", class: "send" }, [svg(ICON_SEND, 20), sendText]);
  var inputLabel = el("label", { for: "mw-input", class: "vh", text: T.inputLabel });
  var hint = el("p", { id: "mw-hint", class: "vh", text: T.hint });
  var note = el("p", { id: "mw-note", class: "note", text: T.note });
  var form = el("form", { class: "form", novalidate: true }, [
    inputLabel,
    el("div", { class: "row" }, [input, sendBtn]),
    hint,
    note
  ]);
  var title = el("h2", { id: "mw-title", text: TITLE_GIVEN ? TITLE : T.title, lang: TITLE_GIVEN ? "ja" : null });
  var panel = el("div", { id: "mw-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "mw-title", hidden: true }, [
    el("div", { class: "header" }, [
      title,
      el("div", { class: "tools" }, [langLabel, langSelect, largeBtn, furiganaBtn, closeBtn])
    ]),
    scroller, notice, liveBar, form
  ]);
  var root = el("div", { class: "root", lang: htmlLang(state.lang), role: "region", "aria-label": TITLE_GIVEN ? TITLE : T.title },
    [launcher, panel]);
  // the widget's own texts in the resident's language (the conversation keeps its own)
  function applyTexts() {
    var lang = htmlLang(state.lang);
    host.setAttribute("lang", lang);
    root.setAttribute("lang", lang);
    if (!TITLE_GIVEN) { title.textContent = T.title; root.setAttribute("aria-label", T.title); }
    launcherText.textContent = T.launcher;
    langLabel.textContent = T.language;
    largeBtn.textContent = T.large;
    furiganaBtn.textContent = T.furigana;
    closeBtn.setAttribute("aria-label", T.closeLabel);
    closeBtn.setAttribute("title", T.close);
    log.setAttribute("aria-label", T.log);
    retryBtn.textContent = T.retry;
    input.setAttribute("placeholder", T.placeholder);
    sendText.textContent = T.send;
    inputLabel.textContent = T.inputLabel;
    hint.textContent = T.hint;
    note.textContent = T.note;
    liveEndBtn.textContent = T.liveEnd;
    if (state.live) liveText.textContent = liveStatus === "active" ? T.liveOn : T.liveWaiting;
  }
  shadow.appendChild(root);

  // ---- rendering (text nodes only) ----
  // (the api keeps a URL that this finds in one plain ふりがな segment: api/furigana/reading.py _URL)
  var URL_RE = /https?:\/\/[^\s<>"'`「」『』（）()【】［］\[\]、。，．\u3000]+/g;
  // text → pieces: {text} and {url, raw} (http/https links only)
  function linkPieces(text) {
    var out = [], last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      var raw = m[0].replace(/[.,;:!?]+$/, "");
      var url = null;
      try { url = new URL(raw); } catch (e) { url = null; }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) continue;
      out.push({ text: text.slice(last, m.index) });
      out.push({ url: url.href, raw: raw });
      last = m.index + raw.length;
      URL_RE.lastIndex = last;
    }
    out.push({ text: text.slice(last) });
    return out;
  }
  function link(piece) {
    var a = el("a", { href: piece.url, target: "_blank", rel: "noopener noreferrer" });
    a.appendChild(document.createTextNode(piece.raw));
    a.appendChild(el("span", { class: "vh", text: T.newTab }));
    return a;
  }
  function appendText(parent, text, links) {
    if (!links) { parent.appendChild(document.createTextNode(text)); return; }
    linkPieces(text).forEach(function (p) {
      parent.appendChild(p.url ? link(p) : document.createTextNode(p.text));
    });
  }
  // ふりがな: the ruby drawing for the eyes (aria-hidden), the text once and whole for screen
  // readers (visually hidden), links in between as they are
  function appendRuby(parent, segments, links) {
    var said = "", shown = null;
    function flush() {
      if (shown) {
        parent.appendChild(el("span", { class: "vh", text: said }));
        parent.appendChild(shown);
      }
      said = ""; shown = null;
    }
    function show(node, text) {
      shown = shown || el("span", { "aria-hidden": "true" });
      shown.appendChild(node);
      said += text;
    }
    segments.forEach(function (s) {
      if (s.reading) {
        show(el("ruby", null, [document.createTextNode(s.text), el("rt", { text: s.reading })]), s.text);
        return;
      }
      (links ? linkPieces(s.text) : [{ text: s.text }]).forEach(function (p) {
        if (p.url) { flush(); parent.appendChild(link(p)); }
        else if (p.text) show(document.createTextNode(p.text), p.text);
      });
    });
    flush();
  }
  function isFeedback(b) { return typeof b.payload === "string" && b.payload.indexOf("/feedback") === 0; }
  function feedbackFace(b) {
    var helpful = b.title.indexOf("👍") >= 0 ||
      (b.title.indexOf("👎") < 0 && /"helpful"\s*:\s*true/.test(b.payload));
    var label = b.title.replace(/[👍👎]\uFE0F?/g, "").trim() || (helpful ? T.helpful : T.notHelpful);
    return { icon: helpful ? "👍" : "👎", label: label };
  }

  // ふりがな on a bot message: the switch on, or a Japanese message for a resident of やさしい日本語 or
  // another language (the api gives those their readings unasked)
  function wantsRuby(entry) {
    return entry.who === "bot" && (state.furigana || (state.lang !== "ja" && isJapanese(entry.lang || "ja")));
  }
  function render(entry) {
    // lang on each message: the language of its text (the api says it for the bot's messages)
    var node = el("div", { class: "msg " + entry.who + (entry.staff ? " staff" : "") + (entry.system ? " system" : ""),
                           "data-id": String(entry.id), lang: htmlLang(entry.lang || "ja") });
    // a live chat's staff message is signed by the department (「ひかり野市 市民課」), never a person
    if (entry.staff) node.appendChild(el("p", { class: "tag", text: entry.from || T.staff, lang: entry.from ? "ja" : null }));
    if (entry.text) { // a bot message may be buttons only
      var ruby = wantsRuby(entry) && entry.ruby;
      // "You:" / "AI assistant:" in the widget's language, whatever the message's
      var bubble = el("div", { class: ruby ? "bubble ruby" : "bubble" },
        [el("span", { class: "vh", lang: entry.from && entry.who !== "user" ? "ja" : htmlLang(state.lang),
                      text: entry.who === "user" ? T.you : (entry.from ? entry.from + "：" : T.bot) })]);
      if (ruby) appendRuby(bubble, entry.ruby, true);
      else appendText(bubble, entry.text, entry.who === "bot");
      node.appendChild(bubble);
    }
    var buttons = entry.buttons || [];
    var fb = buttons.filter(isFeedback);
    var quick = buttons.filter(function (b) { return !isFeedback(b); });
    if (quick.length) {
      var box = el("div", { class: "replies", role: "group", "aria-label": T.replies });
      quick.forEach(function (b) {
        var btn = el("button", { type: "button", onclick: function () {
          if (busy) return;
          // a payload that is not an intent command is words to send (the bot's greeting choices)
          send(b.payload != null && b.payload.charAt(0) === "/" ? { payload: b.payload } : { text: b.payload != null ? b.payload : b.text }, b.title);
        } });
        // its name stays the title: the ruby drawing is aria-hidden, the title visually hidden text
        if ((state.furigana || state.lang !== "ja") && b.ruby) appendRuby(btn, b.ruby, false); else btn.textContent = b.title;
        box.appendChild(btn);
      });
      node.appendChild(box);
    }
    if (fb.length) {
      var group = el("div", { class: "feedback", role: "group", "aria-label": T.feedback });
      var btns = fb.map(function (b) {
        var face = feedbackFace(b);
        var chosen = entry.chosen === b.payload;
        var btn = el("button", { type: "button", "aria-label": face.label, title: face.label,
          "aria-pressed": chosen ? "true" : "false", disabled: entry.chosen != null, text: face.icon });
        btn.addEventListener("click", function () {
          if (busy || entry.chosen != null) return;
          entry.chosen = b.payload;
          btns.forEach(function (x) { x.btn.disabled = true; x.btn.setAttribute("aria-pressed", x.b === b ? "true" : "false"); });
          save();
          input.focus(); // the pressed button is now disabled: keep keyboard users in the panel
          send({ payload: b.payload }, b.title);
        });
        group.appendChild(btn);
        return { b: b, btn: btn };
      });
      node.appendChild(group);
    }
    return node;
  }

  function addEntry(entry) {
    entry.id = ++state.seq;
    state.log.push(entry);
    var node = render(entry);
    log.appendChild(node);
    while (state.log.length > MAX_LOG) state.log.shift();
    while (log.children.length > MAX_LOG) log.removeChild(log.firstChild);
    save();
    return node;
  }

  function scrollTo(node) {
    if (!node) { scroller.scrollTop = scroller.scrollHeight; return; }
    // Show a long answer from its start; otherwise keep the newest at the bottom.
    var top = node.offsetTop - 12;
    scroller.scrollTop = Math.min(top, scroller.scrollHeight);
    if (scroller.scrollHeight - top <= scroller.clientHeight) scroller.scrollTop = scroller.scrollHeight;
  }

  // ---- talking to the api ----
  var busy = false;
  var pendingRetry = null;

  function request(method, path, body) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    var opts = { method: method, mode: "cors", credentials: "omit", cache: "no-store", signal: ctrl ? ctrl.signal : undefined };
    if (body !== undefined) {
      opts.headers = { "Content-Type": "application/json" };
      opts.body = JSON.stringify(body);
    }
    return fetch(API + path, opts).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (data) {
        return { status: resp.status, data: data };
      });
    }, function () { return { status: 0, data: null, aborted: !!(ctrl && ctrl.signal.aborted) }; }).then(function (res) {
      if (timer) clearTimeout(timer);
      return res;
    });
  }

  function detailOf(data) {
    return data && typeof data.detail === "string" && data.detail.trim() ? data.detail : null;
  }

  function showNotice(kind, text, retry) {
    notice.className = "notice " + kind;
    noticeText.textContent = text;
    pendingRetry = retry || null;
    retryBtn.hidden = !retry;
    notice.hidden = false;
    scroller.scrollTop = scroller.scrollHeight;
  }
  function clearNotice() {
    notice.hidden = true;
    noticeText.textContent = "";
    retryBtn.hidden = true;
    pendingRetry = null;
  }

  function setBusy(on) {
    busy = on;
    sendBtn.setAttribute("aria-disabled", on ? "true" : "false");
    typing.textContent = "";
    if (on) {
      typing.appendChild(el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]));
      typing.appendChild(el("span", { text: T.typing }));
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  function send(req, shown) {
    if (busy) return;
    clearNotice();
    if (shown != null) { addEntry({ who: "user", text: shown, lang: state.lang }); scrollTo(); }
    post(req);
  }

  // A connection that failed before any answer (an api process that died, scaled mode) is
  // tried once more after a pause: the next connection reaches a live process. Never after our
  // own time-out: that message may still be being answered.
  var RETRY_AFTER_MS = 700;
  function retriable(res) { return (res.status === 0 && !res.aborted) || res.status === 502; }

  function messageId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function post(req, retried) {
    setBusy(true);
    if (!req.id) req.id = messageId(); // the same id when sent again: the bot answers it once
    var body = { message_id: req.id };
    if (state.sender) body.sender = state.sender;
    if (req.payload != null) body.payload = req.payload; else body.text = req.text;
    if (state.furigana) body.furigana = true;
    if (state.lang !== "ja") body.lang = state.lang;
    request("POST", "api/chat", body).then(function (res) {
      if (!retried && retriable(res)) {
        setTimeout(function () { post(req, true); }, RETRY_AFTER_MS);
        return;
      }
      setBusy(false);
      var data = res.data;
      if (res.status === 200 && data && Array.isArray(data.messages)) {
        if (typeof data.sender === "string" && SENDER_RE.test(data.sender)) state.sender = data.sender;
        var first = null;
        data.messages.forEach(function (m) {
          if (!m || typeof m !== "object") return;
          var text = typeof m.text === "string" ? m.text : "";
          var node = addEntry({ who: "bot", text: text, buttons: cleanButtons(m.buttons), ruby: cleanRuby(m.furigana, text),
                                lang: cleanLang(m.lang) });
          first = first || node;
        });
        save();
        scrollTo(first);
        // a live chat opened (poll its messages) or ended (one last poll for the closing words)
        if (data.live === true) { if (!state.live) setLive(true, "waiting", null); pollLive(); } else if (state.live) pollLive();
      } else if (res.status === 503 || res.status === 429) { // down, or too many messages: the api says how long to wait
        showNotice("busy", detailOf(data) || T.busy, req);
      } else if (res.status === 422) {
        showNotice("error", detailOf(data) || T.invalid, null);
        if (req.text != null && !input.value) input.value = req.text; // let the resident fix it
      } else if (res.status === 0) {
        showNotice("offline", T.offline, req);
      } else {
        showNotice("error", detailOf(data) || T.failed, req);
      }
    });
  }

  // ---- inbox: staff answers to questions left for them ----
  var pollTimer = null;
  var polling = false;
  function pollInbox() {
    if (!state.sender || polling) return;
    polling = true;
    request("GET", "api/chat/inbox?sender=" + encodeURIComponent(state.sender) + "&lang=" + encodeURIComponent(state.lang)).then(function (res) {
      polling = false;
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.messages)) return; // not there (yet): silent
      var first = null;
      res.data.messages.forEach(function (m) {
        if (!m || typeof m !== "object") return;
        // staff answers are Japanese; a staff member's offer of a live chat comes in the widget's language
        var node = addEntry({ who: "bot", staff: true, text: typeof m.text === "string" ? m.text : "", buttons: cleanButtons(m.buttons),
                              lang: cleanLang(m.lang) });
        first = first || node;
      });
      if (first) scrollTo(first);
      if (first && (state.furigana || state.lang !== "ja")) fetchRuby(); // staff answers come without readings
    });
  }
  function startPolling() {
    stopPolling();
    pollInbox();
    pollTimer = setInterval(pollInbox, POLL_MS);
  }
  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
  }

  // ---- live chat with staff: their messages as they come, typing, the end ----
  var LIVE_POLL_MS = 2500;
  var liveTimer = null;
  var livePolling = false;
  var liveStatus = "waiting"; // what the bar says until the next poll (a reopened panel keeps it)
  function pollLive() {
    if (!state.sender || livePolling) return;
    livePolling = true;
    request("GET", "api/chat/live?sender=" + encodeURIComponent(state.sender) + "&after=" + (state.liveAfter || 0)).then(function (res) {
      livePolling = false;
      var d = res.data;
      if (res.status !== 200 || !d || typeof d.status !== "string") return; // not there (yet): try again next time
      var first = null;
      (Array.isArray(d.messages) ? d.messages : []).forEach(function (m) {
        if (!m || typeof m.text !== "string" || typeof m.id !== "number") return;
        state.liveAfter = Math.max(state.liveAfter || 0, m.id);
        var node = addEntry(m.who === "staff" ? { who: "bot", staff: true, from: String(m.label || "").slice(0, 100), text: m.text, lang: "ja" }
          : { who: "bot", system: true, text: m.text, lang: cleanLang(m.lang) });
        first = first || node;
      });
      var open = d.status === "waiting" || d.status === "active";
      setLive(open, d.status, open && d.typing === true ? String(d.label || "") : null);
      save();
      if (first) { scrollTo(first); if (state.furigana || state.lang !== "ja") fetchRuby(); } // staff write without readings
    });
  }
  function setLive(on, status, typingLabel) {
    state.live = on;
    if (on) liveStatus = status;
    liveBar.hidden = !on;
    var text = on ? (status === "active" ? T.liveOn : T.liveWaiting) : "";
    if (liveText.textContent !== text) liveText.textContent = text;
    if (!busy) {
      var said = typingLabel ? T.liveTyping.replace("{label}", typingLabel) : "";
      if (typing.textContent !== said) {
        typing.textContent = "";
        if (said) {
          typing.appendChild(el("span", { class: "dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]));
          typing.appendChild(el("span", { text: said }));
        }
      }
    }
    if (on && !liveTimer && state.open) liveTimer = setInterval(pollLive, LIVE_POLL_MS);
    if ((!on || !state.open) && liveTimer) { clearInterval(liveTimer); liveTimer = null; }
  }
  liveEndBtn.addEventListener("click", function () {
    if (busy) return;
    input.focus();
    send({ payload: "/live_end" }, T.liveEnd);
  });

  // ---- open / close, text size ----
  var fullScreen = window.matchMedia ? window.matchMedia("(max-width: 480px)") : { matches: false };
  function setLarge(on) {
    state.large = on;
    root.classList.toggle("large", on);
    largeBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }
  // Switching redraws the bot messages that have readings, in place. The log is a live region:
  // it is quiet while they are redrawn, or a screen reader would read them all out again.
  function hasRuby(e) {
    return !!e.ruby || (e.buttons || []).some(function (b) { return b.ruby; });
  }
  function redraw(which) {
    var top = scroller.scrollTop;
    log.setAttribute("aria-live", "off");
    state.log.forEach(function (e) {
      if (!which(e)) return;
      var old = log.querySelector('[data-id="' + e.id + '"]');
      if (old) log.replaceChild(render(e), old);
    });
    scroller.scrollTop = top;
    setTimeout(function () { log.setAttribute("aria-live", "polite"); }, 0);
  }
  function setFurigana(on) {
    state.furigana = on;
    furiganaBtn.setAttribute("aria-pressed", on ? "true" : "false");
    redraw(hasRuby);
  }
  // Messages that came while ふりがな was off (and the greeting, written here) have no readings:
  // asked for once, the newest first when there are more than one call reads.
  function fetchRuby() {
    var wanted = [], chars = 0;
    state.log.forEach(function (e) {
      if (!wantsRuby(e)) return;
      if (e.text && !e.ruby) wanted.push({ e: e, text: e.text });
      (e.buttons || []).forEach(function (b) {
        if (!b.ruby && !isFeedback(b)) wanted.push({ e: e, b: b, text: b.title });
      });
    });
    wanted = wanted.reverse().filter(function (w, i) {
      chars += w.text.length;
      return i < RUBY_MAX_TEXTS && chars <= RUBY_MAX_CHARS;
    });
    if (!wanted.length) return;
    request("POST", "api/chat/furigana", { texts: wanted.map(function (w) { return w.text; }) }).then(function (res) {
      // not there: the messages stay as they are, readable without readings
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.furigana)) return;
      var changed = {};
      wanted.forEach(function (w, i) {
        var ruby = cleanRuby(res.data.furigana[i], w.text);
        if (!ruby) return;
        if (w.b) w.b.ruby = ruby; else w.e.ruby = ruby;
        changed[w.e.id] = true;
      });
      save();
      redraw(function (e) { return changed[e.id]; });
    });
  }
  function openPanel(focusInput) {
    panel.setAttribute("aria-modal", fullScreen.matches ? "true" : "false");
    panel.hidden = false;
    root.classList.add("open");
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    if (!state.log.length) {
      addEntry(greeting(state.lang)); // copies: readings are added to them
      fetchRuby();
    }
    save();
    scroller.scrollTop = scroller.scrollHeight;
    if (focusInput) input.focus();
    startPolling();
    if (state.live) { setLive(true, liveStatus, null); pollLive(); }
  }
  function closePanel(returnFocus) {
    panel.hidden = true;
    root.classList.remove("open");
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    stopPolling();
    if (liveTimer) { clearInterval(liveTimer); liveTimer = null; } // the cursor keeps the rest for the next opening
    if (returnFocus) launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) openPanel(true); else closePanel(true);
  });
  closeBtn.addEventListener("click", function () { closePanel(true); });
  largeBtn.addEventListener("click", function () { setLarge(!state.large); save(); });
  // Another language: the widget's texts change at once; the greeting is said again in it (replaced
  // when nothing else was said yet); the messages already shown keep their language.
  function setLang(lang) {
    state.lang = cleanLang(lang);
    langSelect.value = state.lang;
    setTexts(state.lang);
    applyTexts();
    savePrefs();
    if (!panel.hidden) {
      var onlyGreeting = state.log.length === 1 && state.log[0].who === "bot" && !state.log[0].staff;
      if (onlyGreeting) { state.log = []; log.textContent = ""; }
      var node = addEntry(greeting(state.lang));
      redraw(function (e) { return e.who === "bot"; }); // readings follow the language
      scrollTo(node);
    }
    fetchRuby();
  }
  langSelect.addEventListener("change", function () { setLang(langSelect.value); });
  furiganaBtn.addEventListener("click", function () {
    setFurigana(!state.furigana);
    savePrefs();
    if (state.furigana) fetchRuby();
  });
  retryBtn.addEventListener("click", function () {
    var req = pendingRetry;
    if (!req || busy) return;
    clearNotice();
    input.focus();
    post(req);
  });
  root.addEventListener("keydown", function (ev) {
    if (panel.hidden) return;
    if (ev.key === "Escape" && !ev.isComposing) {
      ev.preventDefault();
      ev.stopPropagation();
      closePanel(true);
    } else if (ev.key === "Tab" && fullScreen.matches) {
      // Full screen, the page behind is covered: keep Tab inside the panel.
      var items = Array.prototype.filter.call(
        panel.querySelectorAll("button, a[href], textarea"),
        function (x) { return !x.disabled && !x.hidden && x.getClientRects().length; });
      if (!items.length) return;
      var first = items[0], last = items[items.length - 1], now = shadow.activeElement;
      if (ev.shiftKey && now === first) { ev.preventDefault(); last.focus(); }
      else if (!ev.shiftKey && now === last) { ev.preventDefault(); first.focus(); }
    }
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy) return;
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    autosize();
    input.focus(); // ready for the next question, also after a click on 送信
    send({ text: text }, text);
  });
  input.addEventListener("keydown", function (ev) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms Japanese IME conversion does nothing.
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 4, 200) + "px";
  }
  input.addEventListener("input", autosize);

  // ---- start ----
  function mount() {
    document.body.appendChild(host);
    state.log.forEach(function (e) { log.appendChild(render(e)); });
    setLarge(state.large);
    setFurigana(state.furigana);
    applyTexts();
    if (state.open) openPanel(false); // restored after navigation: do not steal the page's focus
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
