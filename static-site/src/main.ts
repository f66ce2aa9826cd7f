// Entry point of the pages' one script.
import { wirePasswordToggles } from './dom';
import { forgotPage, loginPage, newPasswordPage, resetPage, signedInPage } from './pages';

const byPage: Record<string, () => void> = {
  login: loginPage,
  forgot: forgotPage,
  reset: resetPage,
  newPassword: newPasswordPage,
  signedIn: signedInPage,
};

wirePasswordToggles();
byPage[document.body.dataset.page ?? '']?.();
