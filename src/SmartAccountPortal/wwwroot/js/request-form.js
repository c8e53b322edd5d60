// The Review Request dialog: the server renders it open, before the form, with the form
// inert (so the flow works without JavaScript); here it becomes a modal dialog, focus on its
// title, and Escape or Back return to the form as typed, focus on the button that opened it.
(() => {
    const dialog = document.getElementById('review-dialog');
    if (dialog) {
        const form = document.getElementById('request-form');
        const opener = form?.querySelector('button[type=submit]');
        document.querySelector('[data-overlay]')?.remove();
        // A modal dialog keeps the page behind it inert by itself; the form is editable again once it closes.
        form?.removeAttribute('inert');
        // Not close(): that queues a 'close' event, which the handler below would take for Back.
        dialog.removeAttribute('open');
        dialog.showModal();
        // The reader starts at the dialog's title, not on the button that commits.
        dialog.querySelector('#review-title')?.focus();
        dialog.querySelector('[data-back]')?.addEventListener('click', (event) => {
            event.preventDefault();
            dialog.close();
        });
        // Back or Escape: to the form as typed, focus on the button that opened the review.
        dialog.addEventListener('close', () => {
            dialog.remove();
            opener?.focus();
        });
    }

    // A page a post of the form produced (the form with its mistakes, or again after the
    // review's Back) becomes the plain form's address in the history, so the browser's Back
    // from the next page loads the form afresh instead of asking to send the post again. (The
    // review itself is reached by GET.)
    if (document.getElementById('request-form') && new URLSearchParams(location.search).has('handler')) {
        history.replaceState(null, '', location.pathname);
    }

    // One click, one post: a second click while the first is on its way does nothing.
    // (The server also recognises a re-posted review, so this is a courtesy, not the guard.)
    for (const form of document.querySelectorAll('form[data-once]')) {
        form.addEventListener('submit', (event) => {
            if (form.dataset.submitting === 'true') {
                event.preventDefault();
                return;
            }
            form.dataset.submitting = 'true';
        });
    }

    // Coming back through the browser's history must not leave a form locked.
    window.addEventListener('pageshow', () => {
        for (const form of document.querySelectorAll('form[data-once]')) {
            delete form.dataset.submitting;
        }
    });

    // The notes say how many characters are left as one types. The count shown changes at once;
    // a screen reader hears it once typing pauses, not at every key.
    for (const count of document.querySelectorAll('[data-count-for]')) {
        const field = document.getElementById(count.dataset.countFor);
        if (!field) {
            continue;
        }
        const max = field.maxLength;
        const spoken = document.createElement('span');
        spoken.className = 'visually-hidden';
        spoken.setAttribute('aria-live', 'polite');
        count.after(spoken);
        let pause;
        const update = (announce) => {
            const left = Math.max(0, max - field.value.length);
            count.textContent = left === 1 ? count.dataset.leftOne : count.dataset.left.replace('{0}', left);
            clearTimeout(pause);
            if (announce) {
                pause = setTimeout(() => { spoken.textContent = count.textContent; }, 1000);
            }
        };
        field.addEventListener('input', () => update(true));
        update(false);
    }
})();
