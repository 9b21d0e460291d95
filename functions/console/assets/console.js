// The console works without this script; with it, the lab previews while the query is typed,
// the watch filter applies on change, and removals ask first.

const query = document.querySelector('[data-lab-query]');
if (query) {
  const form = query.form;
  const lab = document.getElementById('lab');
  const save = form.querySelector('[data-save]');
  let timer;
  let pending;

  const preview = async () => {
    pending?.abort();
    pending = new AbortController();
    const params = new URLSearchParams({ query: query.value });
    for (const feed of form.querySelectorAll('input[name="feeds"]:checked'))
      params.append('feeds', feed.value);
    try {
      const response = await fetch(`/lab?${params}`, { signal: pending.signal });
      // The server escapes every feed-supplied string in this fragment.
      lab.innerHTML = await response.text();
      const valid = lab.querySelector('[data-valid]')?.dataset.valid === 'true';
      save.disabled = !valid;
      query.setAttribute('aria-invalid', String(!valid && query.value.trim() !== ''));
    } catch (error) {
      if (error.name !== 'AbortError') lab.textContent = `The preview could not be loaded: ${error.message}`;
    }
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(preview, 200);
  };
  query.addEventListener('input', schedule);
  for (const feed of form.querySelectorAll('input[name="feeds"]')) feed.addEventListener('change', schedule);
  // Saving an invalid query is refused by the server too; this spares the round trip.
  form.addEventListener('submit', (event) => {
    if (save.disabled) event.preventDefault();
  });
}

for (const select of document.querySelectorAll('[data-autosubmit]')) {
  select.addEventListener('change', () => select.form.requestSubmit());
}
for (const button of document.querySelectorAll('[data-js-hidden]')) button.hidden = true;

for (const form of document.querySelectorAll('form[data-confirm]')) {
  form.addEventListener('submit', (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}
