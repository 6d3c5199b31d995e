export * from "./suppression";
export * from "./export-contact-data";
export * from "./erase-contact";
export * from "./data-subject-requests";
