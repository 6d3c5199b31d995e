import i18n from "../../i18n";

/** Texts of the admin's user management, in their own namespace ("users"). */
const en = {
  name: "Name",
  email: "E-mail",
  password: "Initial password",
  passwordHelp: "At least {{n}} characters; the user chooses their own at the first sign-in.",
  role: "Role",
  roles: { agent: "Agent", lead: "Team lead", admin: "Administrator" },
  team: "Team",
  noTeam: "No team",
  teams: "Teams",
  active: "Active",
  yes: "Yes",
  no: "No",
  twoFactor: "2FA",
  twoFactorOn: "On",
  twoFactorOff: "Off",
  create: "Create user",
  createTitle: "New user",
  created: "User {{email}} created.",
  deactivate: "Deactivate",
  activate: "Activate",
  resetPassword: "Reset password",
  passwordReset:
    "The password of {{email}} was reset; their sessions ended. They choose their own at the next sign-in.",
  reset: {
    title: "Reset the password of {{email}}",
    close: "Close",
    how: "How is the new password made?",
    modeSet: "Enter a password",
    modeGenerate: "Generate a password",
    newPassword: "New password",
    generateHint: "A random password is generated and shown once, so you can pass it on.",
    sessionsEnd: "All sessions of the user end; they choose their own password at the next sign-in.",
    submit: "Reset password",
    problems: {
      too_short: "Too short: at least {{n}} characters.",
      too_long: "Too long: at most 1000 characters.",
    },
    generatedIntro: "The password of {{email}} was reset; their sessions ended. The new password:",
    copy: "Copy",
    copied: "Copied.",
    copyFailed: "Copying is not possible here: select the password and copy it.",
    onceOnly: "It is shown only now. The user chooses their own at the next sign-in.",
    done: "Done",
  },
  resetTotp: "Reset 2FA",
  confirmResetTotp:
    "Reset two-factor authentication of {{email}}? Their authenticator and recovery codes stop working and all their sessions end; they sign in with the password and set it up again.",
  confirm: "Reset",
  cancel: "Cancel",
  totpReset: "Two-factor authentication of {{email}} was reset.",
  errors: {
    conflict: "Not possible: this e-mail address is taken already, or you would deactivate or demote yourself.",
    not_found: "Not found: the user or team no longer exists.",
    validation_failed: "Please check your input (an e-mail address, a password of at least {{n}} characters).",
    forbidden: "Not allowed.",
    generic: "Saving failed. Please try again.",
  },
};

const de: typeof en = {
  name: "Name",
  email: "E-Mail",
  password: "Erstes Passwort",
  passwordHelp: "Mindestens {{n}} Zeichen; bei der ersten Anmeldung wählt die Person ein eigenes.",
  role: "Rolle",
  roles: { agent: "Agent", lead: "Teamleitung", admin: "Administration" },
  team: "Team",
  noTeam: "Kein Team",
  teams: "Teams",
  active: "Aktiv",
  yes: "Ja",
  no: "Nein",
  twoFactor: "2FA",
  twoFactorOn: "Aktiv",
  twoFactorOff: "Aus",
  create: "Benutzer anlegen",
  createTitle: "Neuer Benutzer",
  created: "Benutzer {{email}} angelegt.",
  deactivate: "Deaktivieren",
  activate: "Aktivieren",
  resetPassword: "Passwort zurücksetzen",
  passwordReset:
    "Das Passwort von {{email}} wurde zurückgesetzt; die Sitzungen wurden beendet. Bei der nächsten Anmeldung wählt die Person ein eigenes.",
  reset: {
    title: "Passwort von {{email}} zurücksetzen",
    close: "Schließen",
    how: "Wie entsteht das neue Passwort?",
    modeSet: "Passwort eingeben",
    modeGenerate: "Passwort erzeugen",
    newPassword: "Neues Passwort",
    generateHint: "Ein zufälliges Passwort wird erzeugt und einmal angezeigt, damit Sie es weitergeben können.",
    sessionsEnd: "Alle Sitzungen der Person enden; bei der nächsten Anmeldung wählt sie ein eigenes Passwort.",
    submit: "Passwort zurücksetzen",
    problems: {
      too_short: "Zu kurz: mindestens {{n}} Zeichen.",
      too_long: "Zu lang: höchstens 1000 Zeichen.",
    },
    generatedIntro: "Das Passwort von {{email}} wurde zurückgesetzt; die Sitzungen wurden beendet. Das neue Passwort:",
    copy: "Kopieren",
    copied: "Kopiert.",
    copyFailed: "Kopieren ist hier nicht möglich: Markieren Sie das Passwort und kopieren Sie es.",
    onceOnly: "Es wird nur jetzt angezeigt. Bei der nächsten Anmeldung wählt die Person ein eigenes.",
    done: "Fertig",
  },
  resetTotp: "2FA zurücksetzen",
  confirmResetTotp:
    "Zwei-Faktor-Authentifizierung von {{email}} zurücksetzen? Authenticator und Wiederherstellungscodes werden ungültig und alle Sitzungen enden; die Person meldet sich mit dem Passwort an und richtet sie neu ein.",
  confirm: "Zurücksetzen",
  cancel: "Abbrechen",
  totpReset: "Die Zwei-Faktor-Authentifizierung von {{email}} wurde zurückgesetzt.",
  errors: {
    conflict:
      "Nicht möglich: Diese E-Mail-Adresse ist schon vergeben, oder Sie würden sich selbst deaktivieren oder herabstufen.",
    not_found: "Nicht gefunden: Benutzer oder Team gibt es nicht mehr.",
    validation_failed: "Bitte prüfen Sie die Eingabe (eine E-Mail-Adresse, ein Passwort mit mindestens {{n}} Zeichen).",
    forbidden: "Nicht erlaubt.",
    generic: "Speichern fehlgeschlagen. Bitte versuchen Sie es erneut.",
  },
};

const USERS_NS = "users";
if (!i18n.hasResourceBundle("en", USERS_NS)) {
  i18n.addResourceBundle("en", USERS_NS, en);
  i18n.addResourceBundle("de", USERS_NS, de);
}

const KNOWN = new Set(Object.keys(en.errors));
export const usersErrorKey = (code: string) => (KNOWN.has(code) ? `users:errors.${code}` : "users:errors.generic");
