//! The discussion under a proposal: comments and one level of replies, editing within the
//! window, reports, and staff hiding or restoring. Text is always rendered as text.
//! Not an island: what every reader sees (authors, counts) is plain values in the page's
//! language, not closures over it (one per comment, each built and run on every render).
use super::when;
use crate::components::auth::FormError;
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct DiscussionActions {
    pub post: ServerAction<PostComment>,
    pub edit: ServerAction<EditComment>,
    pub report: ServerAction<ReportComment>,
    pub moderate: ServerAction<ModerateComment>,
}

impl DiscussionActions {
    pub fn new() -> Self {
        DiscussionActions {
            post: ServerAction::new(),
            edit: ServerAction::new(),
            report: ServerAction::new(),
            moderate: ServerAction::new(),
        }
    }

    pub fn version(&self) -> usize {
        self.post.version().get() + self.edit.version().get() + self.report.version().get() + self.moderate.version().get()
    }
}

#[component]
pub fn Discussion(proposal_id: i64, actions: DiscussionActions, page: CommentPage) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="discussion-heading" class="discussion" id="discussion">
            <h2 id="discussion-heading">{t!(i18n, hall_discussion)}</h2>
            <FormError value=actions.post.value() />
            <FormError value=actions.edit.value() />
            <FormError value=actions.report.value() />
            <FormError value=actions.moderate.value() />
            <Thread page proposal_id actions />
        </section>
    }
}

#[component]
fn Thread(page: CommentPage, proposal_id: i64, actions: DiscussionActions) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.total;
    let rights = Rights { can_comment: page.can_comment, can_report: page.can_report, is_staff: page.is_staff };
    // The comments are rendered here, at once, into one string. Left in the view tree, the
    // page's async render would first resolve every comment as a future of its own (a boxed
    // `AnyView`: each comment's view is kilobytes with all its forms) and move each through
    // every join above it: that copying was 47% of a 2,000-comment proposal page's
    // instructions (callgrind, docs/architecture.md). The string is the same HTML, escaped
    // the same way; this part of the page is not an island, so nothing hydrates it.
    let comments = page.items.into_iter().map(|c| view! { <Comment c proposal_id actions rights top=true /> }).collect_view().to_html();
    view! {
        <p class="muted">{td_string!(i18n.get_locale_untracked(), hall_comments_n, n = total).to_string()}</p>
        {page.locked.then(|| view! { <p class="notice" data-testid="locked">{t!(i18n, err_locked)}</p> })}
        {page.can_comment.then(|| view! { <CommentForm proposal_id parent=None action=actions.post /> })}
        <ol class="comments" data-testid="comments" inner_html=comments></ol>
        {page.next.map(|after| view! {
            <p><a class="button" href=format!("/hall/p/{proposal_id}?comments_after={after}#discussion")>{t!(i18n, hall_more_comments)}</a></p>
        })}
    }
}

#[derive(Clone, Copy)]
struct Rights {
    can_comment: bool,
    can_report: bool,
    is_staff: bool,
}

/// One comment and its replies. What only some viewers get (the forms to edit, reply, report
/// or moderate) is boxed (`into_any`), so a reader's comment does not carry their space.
#[component]
fn Comment(c: CommentView, proposal_id: i64, actions: DiscussionActions, rights: Rights, top: bool) -> AnyView {
    let i18n = use_i18n();
    let id = c.id;
    let author = c.author.clone();
    let hidden = c.hidden.clone();
    let hidden_note = hidden.clone().map(|h| view! {
        <p class="notice" data-testid="hidden-note">
            {match h {
                Hidden::ByStaff(reason) => view! { {t!(i18n, hall_hidden_by_staff)} " " {reason} }.into_any(),
                Hidden::PendingReview => t!(i18n, hall_hidden_pending).into_any(),
            }}
        </p>
    }.into_any());
    view! {
        <li class="comment" id=format!("comment-{id}") data-testid="comment">
            <p class="muted">
                <strong>{super::author_name(i18n.get_locale_untracked(), &author)}</strong>
                " · " {when(c.created_at)}
                {c.edited.then(|| view! { " · " {td_string!(i18n.get_locale_untracked(), hall_edited)} })}
            </p>
            {hidden_note}
            {c.body.clone().map(|body| view! { <div class="prose" data-testid="comment-body">{body}</div> })}
            <div class="comment-actions">
                {c.can_edit.then(|| {
                    let body = c.body.clone().unwrap_or_default();
                    view! {
                        <details>
                            <summary>{t!(i18n, hall_edit)}</summary>
                            <ActionForm action=actions.edit attr:class="stack">
                                <input type="hidden" name="id" value=id />
                                <label for=format!("edit-{id}")>{t!(i18n, hall_comment)}</label>
                                <textarea id=format!("edit-{id}") name="body" rows="3" required maxlength="5000">{body}</textarea>
                                <button type="submit">{t!(i18n, save)}</button>
                            </ActionForm>
                        </details>
                    }
                    .into_any()
                })}
                {(top && rights.can_comment).then(|| view! {
                    <details>
                        <summary>{t!(i18n, hall_reply)}</summary>
                        <CommentForm proposal_id parent=Some(id) action=actions.post />
                    </details>
                }.into_any())}
                {(rights.can_report && hidden.is_none()).then(|| view! {
                    <details>
                        <summary>{t!(i18n, hall_report)}</summary>
                        <ActionForm action=actions.report attr:class="stack">
                            <input type="hidden" name="id" value=id />
                            <label for=format!("report-{id}")>{t!(i18n, hall_report_reason)}</label>
                            <input id=format!("report-{id}") name="reason" type="text" required maxlength="500" />
                            <button type="submit">{t!(i18n, hall_report)}</button>
                        </ActionForm>
                    </details>
                }.into_any())}
                {rights.is_staff.then(|| view! {
                    <details>
                        <summary>{if hidden.is_some() { t!(i18n, hall_restore).into_any() } else { t!(i18n, hall_hide).into_any() }}</summary>
                        <ActionForm action=actions.moderate attr:class="stack">
                            <input type="hidden" name="id" value=id />
                            <input type="hidden" name="action" value=if hidden.is_some() { "restore" } else { "hide" } />
                            <label for=format!("moderate-{id}")>{t!(i18n, hall_public_note)}</label>
                            <input id=format!("moderate-{id}") name="reason" type="text" maxlength="500" required=hidden.is_none() />
                            <button type="submit">{if hidden.is_some() { t!(i18n, hall_restore).into_any() } else { t!(i18n, hall_hide).into_any() }}</button>
                        </ActionForm>
                    </details>
                }.into_any())}
            </div>
            {(!c.replies.is_empty()).then(|| view! {
                <ol class="replies">
                    {c.replies.into_iter().map(|r| view! { <Comment c=r proposal_id actions rights top=false /> }).collect_view()}
                </ol>
            }.into_any())}
        </li>
    }
    .into_any()
}

#[component]
fn CommentForm(proposal_id: i64, parent: Option<i64>, action: ServerAction<PostComment>) -> impl IntoView {
    let i18n = use_i18n();
    let field = match parent {
        Some(p) => format!("reply-{p}"),
        None => "comment-new".to_string(),
    };
    view! {
        <ActionForm action attr:class="stack comment-form">
            <input type="hidden" name="proposal_id" value=proposal_id />
            {parent.map(|p| view! { <input type="hidden" name="parent_id" value=p /> })}
            <label for=field.clone()>{if parent.is_some() { t!(i18n, hall_reply).into_any() } else { t!(i18n, hall_comment).into_any() }}</label>
            <textarea id=field name="body" rows="3" required maxlength="5000"></textarea>
            <button type="submit" data-testid=if parent.is_some() { "post-reply" } else { "post-comment" }>{t!(i18n, hall_post)}</button>
        </ActionForm>
    }
}
