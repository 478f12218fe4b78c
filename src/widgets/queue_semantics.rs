//! `queue-semantics`: the same orders through an SQS-like queue and a Kafka-like log.

use crate::ui::controls::ParamControls;
use crate::ui::widget_frame::WidgetFrame;
use leptos::prelude::*;
use model::queue_semantics::QUEUE_SEMANTICS;
use model::spec::{Note, State};

/// The queue-semantics comparison (placeholder while the view is built).
#[component]
pub fn QueueSemantics(
    /// Initial settings.
    initial: State,
    /// Repairs made while parsing the settings.
    notes: Vec<Note>,
) -> impl IntoView {
    let spec = &QUEUE_SEMANTICS;
    let state = RwSignal::new(initial);
    view! {
        <WidgetFrame spec=spec caption="The same orders through a queue and a log.".into() notes=notes state=state>
            <ParamControls spec=spec state=state />
        </WidgetFrame>
    }
}
