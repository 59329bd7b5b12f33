//! The landing page of each of the four areas.
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Hall,
    Market,
    Menu,
    Appeals,
}

#[component]
pub fn AreaPage(area: Area) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || match area {
        Area::Hall => td_string!(i18n.get_locale(), area_hall_title),
        Area::Market => td_string!(i18n.get_locale(), area_market_title),
        Area::Menu => td_string!(i18n.get_locale(), area_menu_title),
        Area::Appeals => td_string!(i18n.get_locale(), area_appeals_title),
    };
    let desc = move || match area {
        Area::Hall => td_string!(i18n.get_locale(), area_hall_desc),
        Area::Market => td_string!(i18n.get_locale(), area_market_desc),
        Area::Menu => td_string!(i18n.get_locale(), area_menu_desc),
        Area::Appeals => td_string!(i18n.get_locale(), area_appeals_desc),
    };
    view! {
        <Title text=title().to_string() />
        <section class="page">
            <h1>{title}</h1>
            <p class="lead">{desc}</p>
            <p class="notice">{t!(i18n, coming_in_area)}</p>
        </section>
    }
}
