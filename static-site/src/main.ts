// Entry point of the pages' script. lib/site-build.ts bundles it once per page and language with
// SITE_PAGE set, so esbuild drops every other page's branch: each page downloads only its own part.
import { wireBusyButtons, wireLanguageLinks, wirePasswordToggles } from './dom';
import { forgotPage, loginPage, newPasswordPage, resetPage, signedInPage } from './pages';
import { requestCredentialPage } from './request-credential';
import { accountPage, secondStepPage } from './second-factor';

declare const SITE_PAGE: string;

wirePasswordToggles();
wireBusyButtons();
wireLanguageLinks();
if (SITE_PAGE === 'login') loginPage();
else if (SITE_PAGE === 'forgot') forgotPage();
else if (SITE_PAGE === 'reset') resetPage();
else if (SITE_PAGE === 'newPassword') newPasswordPage();
else if (SITE_PAGE === 'signedIn') signedInPage();
else if (SITE_PAGE === 'requestCredential') requestCredentialPage();
else if (SITE_PAGE === 'secondStep') secondStepPage();
else if (SITE_PAGE === 'account') accountPage();
