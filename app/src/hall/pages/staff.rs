//! The staff panel on a proposal: lifecycle steps, progress updates, locking the discussion.
//! Shown to the community's staff; every server function checks that again.
use crate::components::auth::FormError;
use crate::hall::*;
use crate::i18n::*;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct StaffActions {
    pub advance: ServerAction<AdvanceProposal>,
    pub progress: ServerAction<PostProgress>,
    pub lock: ServerAction<LockDiscussion>,
}

impl StaffActions {
    pub fn new() -> Self {
        StaffActions { advance: ServerAction::new(), progress: ServerAction::new(), lock: ServerAction::new() }
    }

    pub fn version(&self) -> usize {
        self.advance.version().get() + self.progress.version().get() + self.lock.version().get()
    }
}

#[component]
pub fn StaffPanel(p: ProposalPage, actions: StaffActions) -> impl IntoView {
    let i18n = use_i18n();
    let id = p.summary.id;
    let state = p.summary.state;
    let locked = p.locked;
    view! {
        <section class="staff-panel" aria-labelledby="staff-heading" data-testid="staff-panel">
            <h2 id="staff-heading">{t!(i18n, hall_staff_panel)}</h2>
            <FormError value=actions.advance.value() />
            <FormError value=actions.progress.value() />
            <FormError value=actions.lock.value() />
            {p.staff_steps.into_iter().map(|step| view! {
                <details class="staff-step">
                    <summary data-testid=format!("step-{}", step.code())>{move || step.label(i18n.get_locale())}</summary>
                    <ActionForm action=actions.advance attr:class="stack">
                        <input type="hidden" name="id" value=id />
                        <input type="hidden" name="step" value=step.code() />
                        {(step == StaffStep::OpenVoting).then(|| view! {
                            <label for="closes-at">{t!(i18n, hall_closes_at)}</label>
                            <input id="closes-at" name="closes_at" type="datetime-local" required />
                        })}
                        {(step == StaffStep::Merge).then(|| view! {
                            <label for="merge-into">{t!(i18n, hall_merge_into)}</label>
                            <input id="merge-into" name="merge_into" type="number" min="1" required />
                        })}
                        <label for=format!("note-{}", step.code())>{t!(i18n, hall_public_note)}</label>
                        <input id=format!("note-{}", step.code()) name="note" type="text" maxlength="500" />
                        <button type="submit" class="primary" data-testid=format!("do-{}", step.code())>{move || step.label(i18n.get_locale())}</button>
                    </ActionForm>
                </details>
            }).collect_view()}
            {matches!(state, ProposalState::Passed | ProposalState::Implementing).then(|| view! {
                <details class="staff-step">
                    <summary data-testid="step-progress">{t!(i18n, hall_post_progress)}</summary>
                    <ActionForm action=actions.progress attr:class="stack">
                        <input type="hidden" name="id" value=id />
                        <label for="progress-dated">{t!(i18n, hall_progress_date)}</label>
                        <input id="progress-dated" name="dated" type="date" required />
                        <label for="progress-body">{t!(i18n, hall_progress_text)}</label>
                        <textarea id="progress-body" name="body" rows="4" required maxlength="5000"></textarea>
                        <button type="submit" class="primary" data-testid="do-progress">{t!(i18n, hall_post_progress)}</button>
                    </ActionForm>
                </details>
            })}
            <details class="staff-step">
                <summary>{if locked { t!(i18n, hall_unlock).into_any() } else { t!(i18n, hall_lock).into_any() }}</summary>
                <ActionForm action=actions.lock attr:class="stack">
                    <input type="hidden" name="proposal_id" value=id />
                    <input type="hidden" name="locked" value=if locked { "false" } else { "true" } />
                    <label for="lock-reason">{t!(i18n, hall_public_note)}</label>
                    <input id="lock-reason" name="reason" type="text" maxlength="500" />
                    <button type="submit">{if locked { t!(i18n, hall_unlock).into_any() } else { t!(i18n, hall_lock).into_any() }}</button>
                </ActionForm>
            </details>
        </section>
    }
}
