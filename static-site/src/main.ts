// Entry point of the pages' one script (built once per language, see lib/site-build.ts).
import { wireLanguageLinks, wirePasswordToggles } from './dom';
import { forgotPage, loginPage, newPasswordPage, resetPage, signedInPage } from './pages';
import { requestCredentialPage } from './request-credential';

const byPage: Record<string, () => void> = {
  login: loginPage,
  forgot: forgotPage,
  reset: resetPage,
  newPassword: newPasswordPage,
  signedIn: signedInPage,
  requestCredential: requestCredentialPage,
};

wirePasswordToggles();
wireLanguageLinks();
byPage[document.body.dataset.page ?? '']?.();
