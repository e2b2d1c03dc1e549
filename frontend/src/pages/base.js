// Progressive enhancement shared by every page: the language switcher submits on change.
// Everything still works without JavaScript (the switcher has its own button).
const switcher = document.querySelector('.language-switcher');
if (switcher) {
  const select = switcher.querySelector('select');
  select?.addEventListener('change', () => switcher.requestSubmit());
}
