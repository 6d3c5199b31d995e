import i18n from "../../i18n";

/** Texts of the account page, the second sign-in step and recovery codes, in their own namespace ("auth"). */
const en = {
  account: {
    link: "Account",
    title: "Your account",
    role: "Role",
    roles: { agent: "Agent", lead: "Team lead", admin: "Administrator" },
    changePassword: "Change password",
  },
  totp: {
    title: "Two-factor authentication",
    on: "On: signing in needs a code from your authenticator app.",
    off: "Off: signing in needs only your password.",
    mandatory: "Your administrator requires two-factor authentication for everyone.",
    intro:
      "Protect your account with a second factor: after your password, a 6-digit code from an authenticator app on your phone (for example FreeOTP, Aegis, Google or Microsoft Authenticator).",
    enable: "Turn on two-factor authentication",
    password: "Your password",
    passwordHelp: "Confirm with your password.",
    start: "Continue",
    scan: "Scan this QR code with your authenticator app, or enter the key by hand.",
    qrAlt: "QR code for your authenticator app",
    key: "Key",
    code: "6-digit code from the app",
    confirm: "Turn on",
    cancel: "Cancel",
    enabled: "Two-factor authentication is on. Your other sessions were signed out.",
    remaining: "Unused recovery codes: {{count}}",
    remainingLow: "Only {{count}} recovery codes left: create new ones.",
    regenerate: "New recovery codes",
    regenerateHelp: "The old recovery codes stop working.",
    disable: "Turn off two-factor authentication",
    disableHelp: "Signing in will need only your password again.",
    disabled: "Two-factor authentication is off.",
  },
  recovery: {
    title: "Your recovery codes",
    help: "Each code works once instead of a code from the app, if you lose your phone. They are shown only now: copy or download them and keep them somewhere safe.",
    copy: "Copy",
    copied: "Copied.",
    copyFailed: "Copying is not possible here: select the codes and copy them, or download them.",
    download: "Download",
    fileHeader: "Recovery codes for {{email}} (each works once)",
    done: "I have saved them",
  },
  login: {
    useRecovery: "Use a recovery code instead",
    useApp: "Use a code from the app instead",
    recoveryCode: "Recovery code (e.g. abcde-12345)",
    recoveryHelp: "Each recovery code works once.",
    enrollScan: "Scan this QR code with your authenticator app, or enter the key by hand, then enter the code.",
  },
  errors: {
    invalid_credentials_password: "The password is wrong.",
    invalid_credentials_code: "The code is not valid (or was used already).",
    validation_failed: "Please check your input.",
    account_locked: "Too many wrong codes. Try again in a few minutes.",
    rate_limited: "Too many attempts. Try again in a minute.",
    forbidden: "Not allowed: your administrator requires two-factor authentication.",
    conflict: "Not possible in the current state. Reload the page.",
    unauthenticated: "Too many wrong entries: your session has ended. Sign in again.",
    generic: "Something went wrong. Please try again.",
  },
};

const de: typeof en = {
  account: {
    link: "Konto",
    title: "Ihr Konto",
    role: "Rolle",
    roles: { agent: "Agent", lead: "Teamleitung", admin: "Administration" },
    changePassword: "Passwort ändern",
  },
  totp: {
    title: "Zwei-Faktor-Authentifizierung",
    on: "Aktiv: Zur Anmeldung brauchen Sie einen Code aus Ihrer Authenticator-App.",
    off: "Aus: Zur Anmeldung genügt Ihr Passwort.",
    mandatory: "Ihre Administration verlangt die Zwei-Faktor-Authentifizierung für alle.",
    intro:
      "Schützen Sie Ihr Konto mit einem zweiten Faktor: nach dem Passwort ein 6-stelliger Code aus einer Authenticator-App auf Ihrem Telefon (zum Beispiel FreeOTP, Aegis, Google oder Microsoft Authenticator).",
    enable: "Zwei-Faktor-Authentifizierung aktivieren",
    password: "Ihr Passwort",
    passwordHelp: "Bestätigen Sie mit Ihrem Passwort.",
    start: "Weiter",
    scan: "Scannen Sie diesen QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel von Hand ein.",
    qrAlt: "QR-Code für Ihre Authenticator-App",
    key: "Schlüssel",
    code: "6-stelliger Code aus der App",
    confirm: "Aktivieren",
    cancel: "Abbrechen",
    enabled: "Die Zwei-Faktor-Authentifizierung ist aktiv. Ihre anderen Sitzungen wurden abgemeldet.",
    remaining: "Unbenutzte Wiederherstellungscodes: {{count}}",
    remainingLow: "Nur noch {{count}} Wiederherstellungscodes: Erzeugen Sie neue.",
    regenerate: "Neue Wiederherstellungscodes",
    regenerateHelp: "Die bisherigen Wiederherstellungscodes werden ungültig.",
    disable: "Zwei-Faktor-Authentifizierung deaktivieren",
    disableHelp: "Zur Anmeldung genügt dann wieder Ihr Passwort.",
    disabled: "Die Zwei-Faktor-Authentifizierung ist aus.",
  },
  recovery: {
    title: "Ihre Wiederherstellungscodes",
    help: "Jeder Code ersetzt einmal einen Code aus der App, falls Sie Ihr Telefon verlieren. Sie werden nur jetzt angezeigt: Kopieren oder laden Sie sie herunter und bewahren Sie sie sicher auf.",
    copy: "Kopieren",
    copied: "Kopiert.",
    copyFailed:
      "Kopieren ist hier nicht möglich: Markieren und kopieren Sie die Codes von Hand oder laden Sie sie herunter.",
    download: "Herunterladen",
    fileHeader: "Wiederherstellungscodes für {{email}} (jeder gilt einmal)",
    done: "Ich habe sie gespeichert",
  },
  login: {
    useRecovery: "Stattdessen einen Wiederherstellungscode verwenden",
    useApp: "Stattdessen einen Code aus der App verwenden",
    recoveryCode: "Wiederherstellungscode (z. B. abcde-12345)",
    recoveryHelp: "Jeder Wiederherstellungscode gilt nur einmal.",
    enrollScan:
      "Scannen Sie diesen QR-Code mit Ihrer Authenticator-App oder geben Sie den Schlüssel von Hand ein; geben Sie dann den Code ein.",
  },
  errors: {
    invalid_credentials_password: "Das Passwort ist falsch.",
    invalid_credentials_code: "Der Code ist ungültig (oder wurde schon verwendet).",
    validation_failed: "Bitte prüfen Sie Ihre Eingabe.",
    account_locked: "Zu viele falsche Codes. Versuchen Sie es in einigen Minuten erneut.",
    rate_limited: "Zu viele Versuche. Versuchen Sie es in einer Minute erneut.",
    forbidden: "Nicht erlaubt: Ihre Administration verlangt die Zwei-Faktor-Authentifizierung.",
    conflict: "Im aktuellen Zustand nicht möglich. Laden Sie die Seite neu.",
    unauthenticated: "Zu viele falsche Eingaben: Ihre Sitzung wurde beendet. Melden Sie sich erneut an.",
    generic: "Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.",
  },
};

const AUTH_NS = "auth";
if (!i18n.hasResourceBundle("en", AUTH_NS)) {
  i18n.addResourceBundle("en", AUTH_NS, en);
  i18n.addResourceBundle("de", AUTH_NS, de);
}

const KNOWN = new Set(Object.keys(en.errors));

/** The German or English text for an API error code; `invalid_credentials` depends on what was entered. */
export function authErrorKey(code: string, entered: "password" | "code"): string {
  if (code === "invalid_credentials") return `auth:errors.invalid_credentials_${entered}`;
  return KNOWN.has(code) ? `auth:errors.${code}` : "auth:errors.generic";
}
