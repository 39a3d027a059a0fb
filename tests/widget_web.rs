//! Browser tests of the `<tim-kiem>` element (www/tim-kiem-element.js) over
//! this crate's own wasm exports: real `input` and `keydown` events, checked
//! against the shadow DOM. Run with `wasm-pack test --headless --chrome`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    Document, Element, Event, HtmlElement, HtmlInputElement, InputEvent, InputEventInit, KeyboardEvent,
    KeyboardEventInit,
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

/// The engine object the element expects, over this crate's exports (the
/// part of `timkiem.js` the element uses: `query`, which resolves to
/// `{ hits, total }`; and `getDocument`).
fn engine() -> JsValue {
    let engine = Object::new();
    type Query = dyn Fn(JsValue, JsValue) -> Result<Promise, JsValue>;
    let query = Closure::<Query>::new(|q: JsValue, o: JsValue| {
        let q = q.as_string().ok_or("timkiem: the query must be a string")?;
        let flag = |key: &str, default: bool| get(&o, key).as_bool().unwrap_or(default);
        let limit = get(&o, "limit").as_f64().map_or(10, |n| n as u32);
        let json = timkiem::query(
            &q,
            limit,
            0,
            flag("fuzzy", true),
            flag("exactDiacritics", false),
            flag("telex", true),
            flag("vni", true),
        )?;
        Ok(Promise::resolve(&JSON::parse(&json)?))
    });
    let get_document =
        Closure::<dyn Fn(u32) -> Result<JsValue, JsValue>>::new(|id| JSON::parse(&timkiem::document(id)?));
    set(&engine, "query", &query.into_js_value());
    set(&engine, "getDocument", &get_document.into_js_value());
    engine.into()
}

/// Lets every pending promise and timer of the page run.
async fn settle() {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback(&resolve).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Waits for the next animation frame, then lets the page settle: the
/// element runs at most one search per frame.
async fn next_frame() {
    let promise = Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().request_animation_frame(&resolve).unwrap();
    });
    JsFuture::from(promise).await.unwrap();
    settle().await;
}

/// A connected `<tim-kiem>`, defined over the real engine on first use, or
/// over `engine` for this instance only (its `engine` property).
fn mount(engine_override: Option<&JsValue>) -> HtmlElement {
    define_tim_kiem(&engine());
    let el: HtmlElement = document().create_element("tim-kiem").unwrap().dyn_into().unwrap();
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
    Array::from(&list).iter().map(|n| n.dyn_into().unwrap()).collect()
}

fn query(el: &HtmlElement, selector: &str) -> Element {
    query_all(el, selector).into_iter().next().unwrap_or_else(|| panic!("no {selector} in the shadow root"))
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
    assert!(Object::is(&first, &again), "a second defineTimKiem keeps the first definition");
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
async fn results_for_nhat_ban_with_highlights() {
    let el = mount(None);
    type_query(&el, "nhat ban");
    settle().await;
    let input = input(&el);
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("true"));
    let opts = options(&el);
    assert!(!opts.is_empty(), "results for 'nhat ban'");
    assert!(opts.len() <= 10, "default limit");
    let titles: Vec<String> = query_all(&el, "[part=title]").iter().map(text).collect();
    assert!(titles.iter().any(|t| t.contains("Nhật Bản")), "titles: {titles:?}");
    for (i, o) in opts.iter().enumerate() {
        assert!(!o.id().is_empty(), "option {i} has an id");
        assert_eq!(attr(o, "aria-selected").as_deref(), Some("false"));
    }
    let marks: Vec<String> = query_all(&el, "[part=snippet] mark").iter().map(text).collect();
    assert!(!marks.is_empty(), "snippet highlights");
    assert!(
        marks.iter().any(|m| {
            let m = m.to_lowercase();
            m.starts_with("nhật") || m.starts_with("bản")
        }),
        "marks: {marks:?}"
    );
    assert!(!query_all(&el, "[part=title] mark").is_empty(), "title highlights");
    // The total, then the marked spelling the plain query found.
    let count = text(&query(&el, "[part=count]"));
    assert!(count.ends_with("kết quả · Kết quả cho: nhật bản"), "count: {count}");
    let status = text(&query(&el, "[role=status]"));
    assert_eq!(status, count, "live region");
    assert!(attr(&input, "aria-activedescendant").is_none());
    el.remove();
}

#[wasm_bindgen_test]
async fn limit_attribute_caps_the_list() {
    let el = mount(None);
    el.set_attribute("limit", "1").unwrap();
    settle().await;
    type_query(&el, "nato");
    settle().await;
    assert_eq!(options(&el).len(), 1);
    let count = text(&query(&el, "[part=count]"));
    assert!(count.starts_with("1 / "), "shown / total: {count}");
    el.remove();
}

#[wasm_bindgen_test]
async fn option_attributes_reach_the_engine() {
    let el = mount(None);
    type_query(&el, "nhaajt banr");
    settle().await;
    assert!(!options(&el).is_empty(), "telex query finds results by default");
    el.set_attribute("telex", "false").unwrap(); // re-searches
    settle().await;
    assert!(options(&el).is_empty(), "telex=false: no results for 'nhaajt banr'");
    assert_eq!(get(&get(&el, "searchOptions"), "telex"), JsValue::FALSE);
    el.remove_attribute("telex").unwrap();
    settle().await;
    assert!(!options(&el).is_empty());
    el.remove();
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_active_option_and_wrap() {
    let el = mount(None);
    type_query(&el, "nato");
    settle().await;
    let opts = options(&el);
    assert!(opts.len() >= 2, "need two results for 'nato', got {}", opts.len());
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
    assert_eq!(active(), Some(last.clone()), "ArrowUp from the first wraps to the last");
    assert_eq!(selected(), vec![last]);
    press(&el, "ArrowDown");
    assert_eq!(active(), Some(opts[0].id()), "ArrowDown from the last wraps to the first");
    el.remove();
}

#[wasm_bindgen_test]
async fn enter_dispatches_select_and_a_cancelled_select_stays_on_the_page() {
    let el = mount(None);
    type_query(&el, "nhat ban");
    settle().await;
    let first_id = get(&get(&el, "results").dyn_into::<Array>().unwrap().get(0), "id");
    // A listener that records the detail and cancels navigation, like the demo's reader.
    let seen = Array::new();
    let record = seen.clone();
    let listener = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        ev.prevent_default();
        record.push(&get(&ev, "detail"));
    });
    el.add_event_listener_with_callback("tim-kiem-select", listener.as_ref().unchecked_ref()).unwrap();
    press(&el, "ArrowDown");
    assert!(!press(&el, "Enter"), "Enter is handled");
    assert_eq!(seen.length(), 1, "one tim-kiem-select event");
    let detail = seen.get(0);
    assert_eq!(get(&detail, "id"), first_id);
    assert_eq!(get(&detail, "query"), JsValue::from_str("nhat ban"));
    assert_eq!(get(&get(&detail, "hit"), "id"), first_id);
    assert_eq!(attr(&input(&el), "aria-expanded").as_deref(), Some("false"), "closed after choosing");
    el.remove();
    drop(listener);
}

#[wasm_bindgen_test]
async fn no_results_shows_a_message() {
    let el = mount(None);
    type_query(&el, "zzzzqqq");
    settle().await;
    assert!(options(&el).is_empty());
    let empty = text(&query(&el, "[part=empty]"));
    assert!(empty.contains("Không có kết quả"), "empty state: {empty}");
    assert!(empty.contains("zzzzqqq"));
    assert!(query_all(&el, "[role=listbox] > :not([role=option])").is_empty(), "the listbox holds only options");
    assert_eq!(text(&query(&el, "[role=status]")), "Không có kết quả");
    assert_eq!(attr(&input(&el), "aria-expanded").as_deref(), Some("true"), "the message is shown in the open panel");
    el.remove();
}

#[wasm_bindgen_test]
async fn escape_closes_then_clears() {
    let el = mount(None);
    type_query(&el, "nhat ban");
    settle().await;
    let input = input(&el);
    press(&el, "ArrowDown");
    assert!(!press(&el, "Escape"));
    assert_eq!(attr(&input, "aria-expanded").as_deref(), Some("false"));
    assert!(attr(&input, "aria-activedescendant").is_none());
    assert_eq!(input.value(), "nhat ban", "first Escape only closes the list");
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
    let other: HtmlInputElement = document().create_element("input").unwrap().dyn_into().unwrap();
    document().body().unwrap().append_child(&other).unwrap();
    let slash = |target: &Element| {
        let init = KeyboardEventInit::new();
        init.set_key("/");
        init.set_bubbles(true);
        init.set_cancelable(true);
        target.dispatch_event(&KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()).unwrap()
    };
    other.focus().unwrap();
    assert!(slash(&other), "'/' typed in another field is left alone");
    let active = || document().active_element().map(|e| e.tag_name());
    assert_eq!(active().as_deref(), Some("INPUT"));
    let body: Element = document().body().unwrap().into();
    assert!(!slash(&body), "'/' on the page is taken");
    assert_eq!(active().as_deref(), Some("TIM-KIEM"));
    let shadow_active = get(&get(&el, "shadowRoot"), "activeElement");
    assert!(Object::is(&shadow_active, &input(&el)), "the inner input has focus");
    other.remove();
    el.remove();
}

/// An engine in plain JS that returns hostile documents.
fn hostile_engine() -> JsValue {
    let query = Function::new_with_args(
        "q, o",
        r#"
        const evil = '<img src=x onerror="window.__tkPwned = 1"></mark><script>window.__tkPwned = 1</script>';
        const paths = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:alert(1)',
          'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'notes/a.txt', 'https://example.com/x'];
        const hits = paths.map((path, id) => ({
          id, path, score: 1, title: evil, snippet: 'x ' + evil,
          highlights: [[2, 12], [10, 11], [-1, 2], [5000, 6000]], titleHighlights: [[0, 4]],
        }));
        return Promise.resolve({ hits, total: 8 });
        "#,
    );
    let engine = Object::new();
    set(&engine, "query", &query);
    engine.into()
}

/// Waits `ms` milliseconds (lets the page load images and fire handlers).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn hostile_documents_render_as_inert_text() {
    let evil = r#"<img src=x onerror="window.__tkPwned = 1"></mark><script>window.__tkPwned = 1</script>"#;
    let el = mount(Some(&hostile_engine()));
    type_query(&el, "anything");
    settle().await;
    assert_eq!(options(&el).len(), 8);
    assert!(query_all(&el, "img, script, iframe, object").is_empty(), "no elements from document text");
    for title in query_all(&el, "[part=title]") {
        assert_eq!(text(&title), evil, "title shown verbatim as text");
        let marks = title.query_selector_all("mark").unwrap();
        assert_eq!(marks.length(), 1);
        assert_eq!(marks.get(0).unwrap().text_content().as_deref(), Some("<img"));
    }
    for snippet in query_all(&el, "[part=snippet]") {
        assert_eq!(text(&snippet), format!("x {evil}"));
        assert_eq!(snippet.query_selector_all("mark").unwrap().length(), 1, "bad ranges are dropped");
        assert_eq!(snippet.query_selector("mark").unwrap().unwrap().text_content().as_deref(), Some("<img src=x"));
    }
    // Only the relative path and the https URL may become links.
    let links: Vec<String> = query_all(&el, "[href]").iter().filter_map(|a| attr(a, "href")).collect();
    assert_eq!(links.len(), 2, "links: {links:?}");
    assert!(links[0].ends_with("/notes/a.txt") && links[0].starts_with("http"), "links: {links:?}");
    assert_eq!(links[1], "https://example.com/x");
    for o in options(&el).iter().take(6) {
        assert_ne!(o.tag_name(), "A", "a hostile path is not a link: {}", text(o));
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
async fn an_engine_error_is_shown_not_thrown() {
    // Thrown at once, or rejected later: the element shows it either way.
    for body in ["throw new Error('hỏng')", "return Promise.reject(new Error('hỏng'))"] {
        let engine = Object::new();
        set(&engine, "query", &Function::new_with_args("q, o", body));
        let el = mount(Some(&engine.into()));
        type_query(&el, "nhat ban");
        settle().await;
        assert!(options(&el).is_empty());
        let empty = text(&query(&el, "[part=empty]"));
        assert!(empty.contains("hỏng"), "error message shown ({body}): {empty}");
        el.remove();
    }
}

/// The real engine, wrapped so that every call is recorded by name in `calls`.
fn counted_engine(calls: &Array) -> JsValue {
    let wrap = Function::new_with_args(
        "engine, calls",
        "return Object.fromEntries(Object.entries(engine).map(([name, f]) => \
           [name, (...args) => { calls.push(name); return f(...args); }]));",
    );
    wrap.call2(&JsValue::NULL, &engine(), calls).unwrap()
}

#[wasm_bindgen_test]
async fn one_engine_call_per_keystroke() {
    let calls = Array::new();
    let el = mount(Some(&counted_engine(&calls)));
    let typed = ["n", "nh", "nha", "nhat", "nhat ", "nhat b", "nhat ba", "nhat ban"];
    for (i, q) in typed.iter().enumerate() {
        next_frame().await; // one keystroke per frame, as a person types
        type_query(&el, q);
        settle().await;
        let names: Vec<String> = calls.iter().map(|c| c.as_string().unwrap()).collect();
        assert_eq!(names, vec!["query"; i + 1], "after typing {q:?}");
    }
    assert!(!options(&el).is_empty(), "results for 'nhat ban'");
    let count = text(&query(&el, "[part=count]"));
    assert!(count.contains(" kết quả"), "the total comes with the hits: {count}");
    el.remove();
}

#[wasm_bindgen_test]
async fn an_older_answer_never_replaces_a_newer_one() {
    // An engine whose answers arrive when the test says, newest first.
    let pending = Array::new();
    let make = Function::new_with_args(
        "pending",
        "return { query: (q) => new Promise((resolve) => pending.push(() => resolve({ \
           hits: [{ id: q.length, title: q, path: q + '.txt', score: 1, snippet: q, highlights: [], titleHighlights: [] }], \
           total: 1 }))) };",
    );
    let slow = make.call1(&JsValue::NULL, &pending).unwrap();
    let el = mount(Some(&slow));
    let results_seen = Array::new();
    let record = results_seen.clone();
    let listener = Closure::<dyn Fn(Event)>::new(move |ev: Event| {
        record.push(&get(&get(&ev, "detail"), "query"));
    });
    el.add_event_listener_with_callback("tim-kiem-results", listener.as_ref().unchecked_ref()).unwrap();
    type_query(&el, "old");
    next_frame().await;
    type_query(&el, "newer");
    settle().await;
    assert_eq!(pending.length(), 2, "one query per keystroke");
    let answer = |i: u32| pending.get(i).dyn_into::<Function>().unwrap().call0(&JsValue::NULL).unwrap();
    answer(1);
    settle().await;
    let titles = || query_all(&el, "[part=title]").iter().map(text).collect::<Vec<_>>();
    assert_eq!(titles(), ["newer"]);
    answer(0);
    settle().await;
    assert_eq!(titles(), ["newer"], "the older answer, arriving last, is dropped");
    assert_eq!(results_seen.length(), 1);
    assert_eq!(results_seen.get(0), JsValue::from_str("newer"));
    el.remove();
    drop(listener);
}
