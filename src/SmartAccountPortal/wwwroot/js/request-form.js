// The Review Request dialog: the server renders it open (so the flow works without
// JavaScript); here it becomes a modal dialog, with focus inside and Escape or Back
// returning to the form as typed.
(() => {
    const dialog = document.getElementById('review-dialog');
    if (dialog) {
        document.querySelector('[data-overlay]')?.remove();
        // Not close(): that queues a 'close' event, which the handler below would take for Back.
        dialog.removeAttribute('open');
        dialog.showModal();
        dialog.querySelector('[data-back]')?.addEventListener('click', (event) => {
            event.preventDefault();
            dialog.close();
        });
        dialog.addEventListener('close', () => {
            dialog.remove();
            document.getElementById('Input_AccountName')?.focus();
        });
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

    // After a failed submit, take the reader to the list of problems.
    document.querySelector('.error-summary')?.focus();
})();
