//! The forms for the steps the viewer may take on an appeal now (the server said which, and
//! checks again when the form arrives).
use super::*;
use crate::components::auth::FormError;

#[derive(Clone, Copy)]
pub struct StepActions {
    classify: ServerAction<ClassifyAppeal>,
    escalate: ServerAction<EscalateAppeal>,
    dispatch: ServerAction<DispatchAppeal>,
    accept: ServerAction<AcceptAppeal>,
    send_back: ServerAction<ReturnAppeal>,
    extension: ServerAction<RequestExtension>,
    decide: ServerAction<DecideExtension>,
    reply: ServerAction<ReplyAppeal>,
    verify: ServerAction<VerifyAppeal>,
    reopen: ServerAction<ReopenAppeal>,
    callback: ServerAction<CallBack>,
}

impl StepActions {
    /// Created inside the routes, so a failed plain form post's error reaches the page.
    pub fn new() -> Self {
        StepActions {
            classify: ServerAction::new(),
            escalate: ServerAction::new(),
            dispatch: ServerAction::new(),
            accept: ServerAction::new(),
            send_back: ServerAction::new(),
            extension: ServerAction::new(),
            decide: ServerAction::new(),
            reply: ServerAction::new(),
            verify: ServerAction::new(),
            reopen: ServerAction::new(),
            callback: ServerAction::new(),
        }
    }

    pub fn version(&self) -> usize {
        self.classify.version().get()
            + self.escalate.version().get()
            + self.dispatch.version().get()
            + self.accept.version().get()
            + self.send_back.version().get()
            + self.extension.version().get()
            + self.decide.version().get()
            + self.reply.version().get()
            + self.verify.version().get()
            + self.reopen.version().get()
            + self.callback.version().get()
    }
}

#[component]
pub fn StepForms(a: AppealPage, actions: StepActions) -> impl IntoView {
    let i18n = use_i18n();
    let id = a.summary.id;
    if a.steps.is_empty() {
        return ().into_any();
    }
    let errors = view! {
        <FormError value=actions.classify.value() />
        <FormError value=actions.escalate.value() />
        <FormError value=actions.dispatch.value() />
        <FormError value=actions.accept.value() />
        <FormError value=actions.send_back.value() />
        <FormError value=actions.extension.value() />
        <FormError value=actions.decide.value() />
        <FormError value=actions.reply.value() />
        <FormError value=actions.verify.value() />
        <FormError value=actions.reopen.value() />
        <FormError value=actions.callback.value() />
    };
    let departments = a.departments.clone();
    let forms = a.steps.iter().copied().filter(|s| *s != Step::RefuseExtension).map(|step| {
        let form = match step {
            Step::Classify => view! {
                <ActionForm action=actions.classify attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <label for="c-category">{t!(i18n, appeal_category)}</label>
                    <select id="c-category" name="category">
                        {AppealCategory::ALL.into_iter().map(|c| view! { <option value=c.code() selected=c == a.summary.category>{move || c.label(i18n.get_locale())}</option> }).collect_view()}
                    </select>
                    <label for="c-urgency">{t!(i18n, appeal_urgency)}</label>
                    <select id="c-urgency" name="urgency">
                        {Urgency::ALL.into_iter().map(|u| view! { <option value=u.code() selected=u == a.summary.urgency>{move || u.label(i18n.get_locale())}</option> }).collect_view()}
                    </select>
                    <fieldset>
                        <legend>{t!(i18n, appeal_route)}</legend>
                        <label class="check"><input type="radio" name="route" value="local" required />{t!(i18n, route_local)}</label>
                        <label class="check"><input type="radio" name="route" value="escalate" data-testid="route-escalate" />{t!(i18n, route_escalate)}</label>
                    </fieldset>
                    <Note step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::Escalate => view! {
                <ActionForm action=actions.escalate attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <Note step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::Dispatch => {
                let departments = departments.clone();
                view! {
                <ActionForm action=actions.dispatch attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <label for="d-department">{t!(i18n, appeal_department)}</label>
                    <select id="d-department" name="department_id" required data-testid="dispatch-department">
                        {departments.into_iter().map(|d| {
                            let (name, name_en) = (d.name.clone(), d.name_en.clone());
                            view! { <option value=d.id>{move || local_name(i18n.get_locale(), &name, &name_en)}</option> }
                        }).collect_view()}
                    </select>
                    <Note step />
                    <Submit step />
                </ActionForm>
            }.into_any()
            }
            Step::Accept => view! {
                <ActionForm action=actions.accept attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <Note step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::Return => view! {
                <ActionForm action=actions.send_back attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <Reason step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::RequestExtension => view! {
                <ActionForm action=actions.extension attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <label for="x-days">{t!(i18n, appeal_extension_days)}</label>
                    <input id="x-days" name="days" type="number" min="1" max="30" value="3" required />
                    <Reason step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::ApproveExtension => view! {
                <ActionForm action=actions.decide attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <fieldset>
                        <legend>{t!(i18n, appeal_extension_decision)}</legend>
                        <label class="check"><input type="radio" name="approve" value="yes" required />{t!(i18n, step_approve_extension)}</label>
                        <label class="check"><input type="radio" name="approve" value="no" />{t!(i18n, step_refuse_extension)}</label>
                    </fieldset>
                    <Note step />
                    <button type="submit" class="primary" data-testid="do-decide_extension">{t!(i18n, save)}</button>
                </ActionForm>
            }.into_any(),
            Step::Reply => view! {
                <ActionForm action=actions.reply attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <label for="r-reply">{t!(i18n, appeal_reply)}</label>
                    <textarea id="r-reply" name="reply" rows="5" required maxlength="5000" data-testid="reply-text"></textarea>
                    <small>{t!(i18n, appeal_reply_hint)}</small>
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::Verify => view! {
                <ActionForm action=actions.verify attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <Note step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::Reopen => view! {
                <ActionForm action=actions.reopen attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <Reason step />
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::Callback => view! {
                <ActionForm action=actions.callback attr:class="stack">
                    <input type="hidden" name="id" value=id />
                    <YesNo name="contacted" label=td_string!(i18n.get_locale(), appeal_contacted) />
                    <YesNo name="solved" label=td_string!(i18n.get_locale(), appeal_solved) />
                    <YesNo name="satisfied" label=td_string!(i18n.get_locale(), appeal_satisfied) />
                    <label for="cb-note">{t!(i18n, appeal_callback_note)}</label>
                    <textarea id="cb-note" name="note" rows="3" maxlength="500"></textarea>
                    <Submit step />
                </ActionForm>
            }.into_any(),
            Step::RefuseExtension => ().into_any(),
        };
        // The first step open; the others (rarer: return, reopen) folded.
        let open = step == a.steps[0];
        view! {
            <details class="staff-step" open=open>
                <summary data-testid=format!("step-{}", step.code())>{move || step.label(i18n.get_locale())}</summary>
                {form}
            </details>
        }
    }).collect_view();
    view! {
        <section class="staff-panel" aria-labelledby="steps-heading" data-testid="appeal-steps">
            <h2 id="steps-heading">{t!(i18n, appeal_your_steps)}</h2>
            {errors}
            {forms}
        </section>
    }.into_any()
}

/// An optional public note on the timeline.
#[component]
fn Note(step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("note-{}", step.code());
    view! {
        <label for=id.clone()>{t!(i18n, hall_public_note)}</label>
        <input id=id name="note" type="text" maxlength="500" />
    }
}

/// A required reason, shown on the timeline.
#[component]
fn Reason(step: Step) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("reason-{}", step.code());
    view! {
        <label for=id.clone()>{t!(i18n, appeal_reason)}</label>
        <textarea id=id name="reason" rows="3" required maxlength="500" data-testid=format!("reason-{}", step.code())></textarea>
    }
}

#[component]
fn Submit(step: Step) -> impl IntoView {
    let i18n = use_i18n();
    view! { <button type="submit" class="primary" data-testid=format!("do-{}", step.code())>{move || step.label(i18n.get_locale())}</button> }
}

/// A required yes/no question as two radio buttons (no answer is assumed).
#[component]
fn YesNo(name: &'static str, label: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{label}</legend>
            <label class="check"><input type="radio" name=name value="yes" required data-testid=format!("{name}-yes") />{t!(i18n, yes)}</label>
            <label class="check"><input type="radio" name=name value="no" data-testid=format!("{name}-no") />{t!(i18n, no)}</label>
        </fieldset>
    }
}
