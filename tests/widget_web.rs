//! Browser tests of the `<tim-kiem>` element (www/tim-kiem-element.js) over
//! this crate's own wasm exports: real `input` and `keydown` events, checked
//! against the shadow DOM. Run with `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{
    Document, Element, Event, HtmlElement, HtmlInputElement, InputEvent, InputEventInit,
    KeyboardEvent, KeyboardEventInit,
};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/www/tim-kiem-element.js")]
extern "C" {
    /// Registers `<tim-kiem>` over `engine` (idempotent); returns the class.
    #[wasm_bindgen(js_name = defineTimKiem)]
    fn define_tim_kiem(engine: &JsValue) -> JsValue;
}

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &JsValue::from_str(key), value).unwrap();
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

/// The engine object the element expects, made of this crate's exports.
fn engine() -> JsValue {
    let engine = Object::new();
    type Export2 = dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>;
    let search = Closure::<Export2>::new(|q, o| timkiem::search(q, o).map_err(JsValue::from));
    let count = Closure::<Export2>::new(|q, o| {
        timkiem::count(q, o)
            .map(JsValue::from)
            .map_err(JsValue::from)
    });
    let get_document = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|id| {
        timkiem::get_document(id).map_err(JsValue::from)
    });
    let document_highlights =
        Closure::<dyn Fn(JsValue, JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
            |id, q, o| timkiem::document_highlights(id, q, o).map_err(JsValue::from),
        );
    let stats = Closure::<dyn Fn() -> Result<JsValue, JsValue>>::new(|| {
        timkiem::stats().map_err(JsValue::from)
    });
    set(&engine, "search", &search.into_js_value());
    set(&engine, "count", &count.into_js_value());
    set(&engine, "getDocument", &get_document.into_js_value());
    set(
        &engine,
        "documentHighlights",
        &document_highlights.into_js_value(),
    );
    set(&engine, "stats", &stats.into_js_value());
    engine.into()
}

/// A connected `<tim-kiem>`, defined over the real engine on first use, or
/// over `engine` for this instance only (its `engine` property).
fn mount(engine_override: Option<&JsValue>) -> HtmlElement {
    define_tim_kiem(&engine());
    let el: HtmlElement = document()
        .create_element("tim-kiem")
        .unwrap()
        .dyn_into()
        .unwrap();
    if let Some(e) = engine_override {
        set(&el, "engine", e);
    }
    document().body().unwrap().append_child(&el).unwrap();
    el
}

/// Runs a selector query on the element's shadow root (via Reflect, to need
/// no DocumentFragment binding).
fn query_all(el: &HtmlElement, selector: &str) -> Vec<Element> {
    let root = get(el, "shadowRoot");
    assert!(!root.is_null(), "<tim-kiem> has an open shadow root");
    let f: Function = get(&root, "querySelectorAll").dyn_into().unwrap();
    let list = f.call1(&root, &JsValue::from_str(selector)).unwrap();
    Array::from(&list)
        .iter()
        .map(|n| n.dyn_into().unwrap())
        .collect()
}

fn query(el: &HtmlElement, selector: &str) -> Element {
    query_all(el, selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {selector} in the shadow root"))
}

fn input(el: &HtmlElement) -> HtmlInputElement {
    query(el, "input").dyn_into().unwrap()
}

fn text(e: &Element) -> String {
    e.text_content().unwrap_or_default()
}

/// Types `value` into the box the way a browser reports it: value, then an
/// `input` event. (The first input event of a frame is searched at once.)
fn type_query(el: &HtmlElement, value: &str) {
    let input = input(el);
    input.focus().unwrap();
    input.set_value(value);
    let init = InputEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_data(Some(value));
    init.set_input_type("insertText");
    let ev = InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
}

/// Presses `key` in the box; returns false if a handler called preventDefault.
fn press(el: &HtmlElement, key: &str) -> bool {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_composed(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input(el).dispatch_event(&ev).unwrap()
}

fn attr(e: &Element, name: &str) -> Option<String> {
    e.get_attribute(name)
}

fn options(el: &HtmlElement) -> Vec<Element> {
    query_all(el, "[role=option]")
}

#[wasm_bindgen_test]
fn define_is_idempotent() {
    let first = define_tim_kiem(&engine());
    let again = define_tim_kiem(&Object::new().into());
    assert!(
        Object::is(&first, &again),
        "a second defineTimKiem keeps the first definition"
    );
    let registry = web_sys::window().unwrap().custom_elements();
    assert!(Object::is(&registry.get("tim-kiem"), &first));
}

#[wasm_bindgen_test]
fn aria_wiring_before_any_query() {
    let el = mount(None);
    let input = input(&el);
    let list = query(&el, "[role=listbox]");
    assert_eq!(attr(&input, "role").as_deref(), Some("combobox"));
    assert_eq!(attr(&input, "aria-autocomplete").as_deref(), Some("list"));
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("false"));
    assert_eq!(attr(&input, "aria-controls"), Some(list.id()));
    assert!(attr(&input, "aria-label").is_some_and(|l| !l.is_empty()));
    assert_eq!(input.placeholder(), "Tìm kiếm…");
    assert_eq!(query_all(&el, "[role=status][aria-live=polite]").len(), 1);
    assert!(options(&el).is_empty());
    el.remove();
}

#[wasm_bindgen_test]
fn results_for_nhat_ban_with_highlights() {
    let el = mount(None);
    type_query(&el, "nhat ban");
    let input = input(&el);
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("true"));
    let opts = options(&el);
    assert!(!opts.is_empty(), "results for 'nhat ban'");
    assert!(opts.len() <= 10, "default limit");
    let titles: Vec<String> = query_all(&el, "[part=title]").iter().map(text).collect();
    assert!(
        titles.iter().any(|t| t.contains("Nhật Bản")),
        "titles: {titles:?}"
    );
    for (i, o) in opts.iter().enumerate() {
        assert!(!o.id().is_empty(), "option {i} has an id");
        assert_eq!(attr(o, "aria-selected").as_deref(), Some("false"));
    }
    let marks: Vec<String> = query_all(&el, "[part=snippet] mark")
        .iter()
        .map(text)
        .collect();
    assert!(!marks.is_empty(), "snippet highlights");
    assert!(
        marks.iter().any(|m| {
            let m = m.to_lowercase();
            m.starts_with("nhật") || m.starts_with("bản")
        }),
        "marks: {marks:?}"
    );
    assert!(
        !query_all(&el, "[part=title] mark").is_empty(),
        "title highlights"
    );
    let count = text(&query(&el, "[part=count]"));
    assert!(count.ends_with("kết quả"), "count: {count}");
    let status = text(&query(&el, "[role=status]"));
    assert!(status.ends_with("kết quả"), "live region: {status}");
    assert!(attr(&input, "aria-activedescendant").is_none());
    el.remove();
}

#[wasm_bindgen_test]
fn limit_attribute_caps_the_list() {
    let el = mount(None);
    el.set_attribute("limit", "1").unwrap();
    type_query(&el, "nato");
    assert_eq!(options(&el).len(), 1);
    let count = text(&query(&el, "[part=count]"));
    assert!(count.starts_with("1 / "), "shown / total: {count}");
    el.remove();
}

#[wasm_bindgen_test]
fn option_attributes_reach_the_engine() {
    let el = mount(None);
    type_query(&el, "nhaajt banr");
    assert!(
        !options(&el).is_empty(),
        "telex query finds results by default"
    );
    el.set_attribute("telex", "false").unwrap(); // re-searches
    assert!(
        options(&el).is_empty(),
        "telex=false: no results for 'nhaajt banr'"
    );
    assert_eq!(get(&get(&el, "searchOptions"), "telex"), JsValue::FALSE);
    el.remove_attribute("telex").unwrap();
    assert!(!options(&el).is_empty());
    el.remove();
}

#[wasm_bindgen_test]
fn arrow_keys_move_the_active_option_and_wrap() {
    let el = mount(None);
    type_query(&el, "nato");
    let opts = options(&el);
    assert!(
        opts.len() >= 2,
        "need two results for 'nato', got {}",
        opts.len()
    );
    let input = input(&el);
    let active = || attr(&input, "aria-activedescendant");
    let selected = || {
        options(&el)
            .iter()
            .filter(|o| attr(o, "aria-selected").as_deref() == Some("true"))
            .map(Element::id)
            .collect::<Vec<_>>()
    };

    assert!(!press(&el, "ArrowDown"), "ArrowDown is handled");
    assert_eq!(active(), Some(opts[0].id()));
    assert_eq!(selected(), vec![opts[0].id()]);
    press(&el, "ArrowDown");
    assert_eq!(active(), Some(opts[1].id()));
    assert_eq!(selected(), vec![opts[1].id()]);
    press(&el, "ArrowUp");
    press(&el, "ArrowUp");
    let last = opts.last().unwrap().id();
    assert_eq!(
        active(),
        Some(last.clone()),
        "ArrowUp from the first wraps to the last"
    );
    assert_eq!(selected(), vec![last]);
    press(&el, "ArrowDown");
    assert_eq!(
        active(),
        Some(opts[0].id()),
        "ArrowDown from the last wraps to the first"
    );
    el.remove();
}

#[wasm_bindgen_test]
fn enter_dispatches_select_and_a_cancelled_select_stays_on_the_page() {
    let el = mount(None);
    type_query(&el, "nhat ban");
    let first_id = get(
        &get(&el, "results").dyn_into::<Array>().unwrap().get(0),
        "id",
    );
    // A listener that records the detail and cancels navigation, like the demo's reader.
    let seen = Array::new();
    let record = seen.clone();
    let listener = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        ev.prevent_default();
        record.push(&get(&ev, "detail"));
    });
    el.add_event_listener_with_callback("tim-kiem-select", listener.as_ref().unchecked_ref())
        .unwrap();
    press(&el, "ArrowDown");
    assert!(!press(&el, "Enter"), "Enter is handled");
    assert_eq!(seen.length(), 1, "one tim-kiem-select event");
    let detail = seen.get(0);
    assert_eq!(get(&detail, "id"), first_id);
    assert_eq!(get(&detail, "query"), JsValue::from_str("nhat ban"));
    assert_eq!(get(&get(&detail, "hit"), "id"), first_id);
    assert_eq!(
        attr(&input(&el), "aria-expanded").as_deref(),
        Some("false"),
        "closed after choosing"
    );
    el.remove();
    drop(listener);
}

#[wasm_bindgen_test]
fn no_results_shows_a_message() {
    let el = mount(None);
    type_query(&el, "zzzzqqq");
    assert!(options(&el).is_empty());
    let empty = text(&query(&el, "[part=empty]"));
    assert!(empty.contains("Không có kết quả"), "empty state: {empty}");
    assert!(empty.contains("zzzzqqq"));
    assert!(
        query_all(&el, "[role=listbox] > :not([role=option])").is_empty(),
        "the listbox holds only options"
    );
    assert_eq!(text(&query(&el, "[role=status]")), "Không có kết quả");
    assert_eq!(
        attr(&input(&el), "aria-expanded").as_deref(),
        Some("true"),
        "the message is shown in the open panel"
    );
    el.remove();
}

#[wasm_bindgen_test]
fn escape_closes_then_clears() {
    let el = mount(None);
    type_query(&el, "nhat ban");
    let input = input(&el);
    press(&el, "ArrowDown");
    assert!(!press(&el, "Escape"));
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("false"));
    assert!(attr(&input, "aria-activedescendant").is_none());
    assert_eq!(
        input.value(),
        "nhat ban",
        "first Escape only closes the list"
    );
    assert!(!press(&el, "ArrowDown"), "ArrowDown reopens");
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("true"));
    press(&el, "Escape");
    assert!(!press(&el, "Escape"));
    assert_eq!(input.value(), "", "second Escape clears");
    assert!(options(&el).is_empty());
    assert_eq!(text(&query(&el, "[role=status]")), "");
    assert!(press(&el, "Escape"), "a third Escape is left to the page");
    el.remove();
}

#[wasm_bindgen_test]
fn slash_focuses_the_box_unless_typing_elsewhere() {
    let el = mount(None);
    let other: HtmlInputElement = document()
        .create_element("input")
        .unwrap()
        .dyn_into()
        .unwrap();
    document().body().unwrap().append_child(&other).unwrap();
    let slash = |target: &Element| {
        let init = KeyboardEventInit::new();
        init.set_key("/");
        init.set_bubbles(true);
        init.set_cancelable(true);
        target
            .dispatch_event(
                &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
            )
            .unwrap()
    };
    other.focus().unwrap();
    assert!(slash(&other), "'/' typed in another field is left alone");
    let active = || document().active_element().map(|e| e.tag_name());
    assert_eq!(active().as_deref(), Some("INPUT"));
    let body: Element = document().body().unwrap().into();
    assert!(!slash(&body), "'/' on the page is taken");
    assert_eq!(active().as_deref(), Some("TIM-KIEM"));
    let shadow_active = get(&get(&el, "shadowRoot"), "activeElement");
    assert!(
        Object::is(&shadow_active, &input(&el)),
        "the inner input has focus"
    );
    other.remove();
    el.remove();
}

/// An engine in plain JS that returns hostile documents.
fn hostile_engine() -> JsValue {
    let search = Function::new_with_args(
        "q, o",
        r#"
        const evil = '<img src=x onerror="window.__tkPwned = 1"></mark><script>window.__tkPwned = 1</script>';
        const paths = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:alert(1)',
          'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'notes/a.txt', 'https://example.com/x'];
        return paths.map((path, id) => ({
          id, path, score: 1, title: evil, snippet: 'x ' + evil,
          highlights: [[2, 12], [10, 11], [-1, 2], [5000, 6000]], titleHighlights: [[0, 4]],
        }));
        "#,
    );
    let engine = Object::new();
    set(&engine, "search", &search);
    set(
        &engine,
        "count",
        &Function::new_with_args("q, o", "return 8"),
    );
    engine.into()
}

/// Waits `ms` milliseconds (lets the page load images and fire handlers).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn hostile_documents_render_as_inert_text() {
    let evil =
        r#"<img src=x onerror="window.__tkPwned = 1"></mark><script>window.__tkPwned = 1</script>"#;
    let el = mount(Some(&hostile_engine()));
    type_query(&el, "anything");
    assert_eq!(options(&el).len(), 8);
    assert!(
        query_all(&el, "img, script, iframe, object").is_empty(),
        "no elements from document text"
    );
    for title in query_all(&el, "[part=title]") {
        assert_eq!(text(&title), evil, "title shown verbatim as text");
        let marks = title.query_selector_all("mark").unwrap();
        assert_eq!(marks.length(), 1);
        assert_eq!(
            marks.get(0).unwrap().text_content().as_deref(),
            Some("<img")
        );
    }
    for snippet in query_all(&el, "[part=snippet]") {
        assert_eq!(text(&snippet), format!("x {evil}"));
        assert_eq!(
            snippet.query_selector_all("mark").unwrap().length(),
            1,
            "bad ranges are dropped"
        );
        assert_eq!(
            snippet
                .query_selector("mark")
                .unwrap()
                .unwrap()
                .text_content()
                .as_deref(),
            Some("<img src=x")
        );
    }
    // Only the relative path and the https URL may become links.
    let links: Vec<String> = query_all(&el, "[href]")
        .iter()
        .filter_map(|a| attr(a, "href"))
        .collect();
    assert_eq!(links.len(), 2, "links: {links:?}");
    assert!(
        links[0].ends_with("/notes/a.txt") && links[0].starts_with("http"),
        "links: {links:?}"
    );
    assert_eq!(links[1], "https://example.com/x");
    for o in options(&el).iter().take(6) {
        assert_ne!(
            o.tag_name(),
            "A",
            "a hostile path is not a link: {}",
            text(o)
        );
    }
    // A control: the same markup parsed as HTML does run its onerror. Once it
    // has, the widget's copies would have too, had they been parsed.
    let window = web_sys::window().unwrap();
    let control = document().create_element("div").unwrap();
    control.set_inner_html(r#"<img src="x-not-there.png" onerror="window.__tkControl = 1">"#);
    document().body().unwrap().append_child(&control).unwrap();
    for _ in 0..250 {
        if !get(&window, "__tkControl").is_undefined() {
            break;
        }
        sleep(20).await;
    }
    assert!(!get(&window, "__tkControl").is_undefined(), "the control's onerror fired");
    let pwned = get(&window, "__tkPwned");
    assert!(pwned.is_undefined(), "no script ran");
    control.remove();
    el.remove();
}

#[wasm_bindgen_test]
fn an_engine_error_is_shown_not_thrown() {
    let engine = Object::new();
    set(
        &engine,
        "search",
        &Function::new_with_args("q, o", "throw new Error('hỏng')"),
    );
    let el = mount(Some(&engine.into()));
    type_query(&el, "nhat ban");
    assert!(options(&el).is_empty());
    let empty = text(&query(&el, "[part=empty]"));
    assert!(empty.contains("hỏng"), "error message shown: {empty}");
    el.remove();
}
