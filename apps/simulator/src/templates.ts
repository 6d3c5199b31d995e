import { MessageTemplateSchema, type MessageTemplate } from "@inbox/whatsapp";

/**
 * Seeded templates: APPROVED utility, marketing and authentication templates in German and English, with
 * variables (positional and named), media headers, a location header, dynamic URL and quick-reply buttons; plus a paused, a disabled and a pending one for the 132000 series.
 */
const RAW_TEMPLATES: Omit<MessageTemplate, "id">[] = [
  {
    name: "order_update",
    language: "de",
    status: "APPROVED",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://example.com/parcel.png"] } },
      {
        type: "BODY",
        text: "Hallo {{1}}, Ihre Bestellung {{2}} ist unterwegs und kommt am {{3}} an.",
        example: { body_text: [["Erika", "4711", "Freitag"]] },
      },
      { type: "FOOTER", text: "Antworten Sie hier, wenn Sie Fragen haben." },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Danke" },
          { type: "QUICK_REPLY", text: "Frage zur Lieferung" },
        ],
      },
    ],
  },
  {
    name: "order_update",
    language: "en",
    status: "APPROVED",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://example.com/parcel.png"] } },
      {
        type: "BODY",
        text: "Hi {{1}}, your order {{2}} is on its way and arrives on {{3}}.",
        example: { body_text: [["Erika", "4711", "Friday"]] },
      },
      { type: "FOOTER", text: "Reply here if you have questions." },
      {
        type: "BUTTONS",
        buttons: [
          { type: "QUICK_REPLY", text: "Thanks" },
          { type: "QUICK_REPLY", text: "Delivery question" },
        ],
      },
    ],
  },
  {
    name: "order_shipped",
    language: "de",
    status: "APPROVED",
    category: "UTILITY",
    parameter_format: "NAMED",
    components: [
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://example.com/parcel.png"] } },
      {
        type: "BODY",
        text: "Hallo {{customer_name}}, Ihre Bestellung {{order_id}} wurde verschickt.",
        example: {
          body_text_named_params: [
            { param_name: "customer_name", example: "Erika" },
            { param_name: "order_id", example: "4711" },
          ],
        },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "URL", text: "Sendung verfolgen", url: "https://example.com/track/{{1}}", example: ["4711"] },
          { type: "QUICK_REPLY", text: "Frage zur Lieferung" },
        ],
      },
    ],
  },
  {
    name: "order_shipped",
    language: "en",
    status: "APPROVED",
    category: "UTILITY",
    parameter_format: "NAMED",
    components: [
      { type: "HEADER", format: "IMAGE", example: { header_handle: ["https://example.com/parcel.png"] } },
      {
        type: "BODY",
        text: "Hi {{customer_name}}, your order {{order_id}} has shipped.",
        example: {
          body_text_named_params: [
            { param_name: "customer_name", example: "Erika" },
            { param_name: "order_id", example: "4711" },
          ],
        },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "URL", text: "Track parcel", url: "https://example.com/track/{{1}}", example: ["4711"] },
          { type: "QUICK_REPLY", text: "Delivery question" },
        ],
      },
    ],
  },
  {
    name: "spring_sale",
    language: "de",
    status: "APPROVED",
    category: "MARKETING",
    components: [
      { type: "HEADER", format: "TEXT", text: "Frühlingsaktion" },
      {
        type: "BODY",
        text: "Hallo {{1}}, nur bis {{2}}: 20 % auf alles. Antworten Sie STOP, um keine Angebote mehr zu erhalten.",
        example: { body_text: [["Erika", "Sonntag"]] },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "URL", text: "Angebote ansehen", url: "https://example.com/sale" },
          { type: "QUICK_REPLY", text: "Keine Werbung mehr" },
        ],
      },
    ],
  },
  {
    name: "spring_sale",
    language: "en",
    status: "APPROVED",
    category: "MARKETING",
    components: [
      { type: "HEADER", format: "TEXT", text: "Spring sale" },
      {
        type: "BODY",
        text: "Hi {{1}}, until {{2}} only: 20% off everything. Reply STOP to stop offers.",
        example: { body_text: [["Erika", "Sunday"]] },
      },
      {
        type: "BUTTONS",
        buttons: [
          { type: "URL", text: "See offers", url: "https://example.com/sale" },
          { type: "QUICK_REPLY", text: "Stop promotions" },
        ],
      },
    ],
  },
  {
    name: "login_code",
    language: "de",
    status: "APPROVED",
    category: "AUTHENTICATION",
    components: [
      { type: "BODY", text: "*{{1}}* ist Ihr Bestätigungscode.", add_security_recommendation: true },
      { type: "FOOTER", text: "Dieser Code läuft in 10 Minuten ab.", code_expiration_minutes: 10 },
      { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Code kopieren" }] },
    ],
  },
  {
    name: "login_code",
    language: "en",
    status: "APPROVED",
    category: "AUTHENTICATION",
    components: [
      { type: "BODY", text: "*{{1}}* is your verification code.", add_security_recommendation: true },
      { type: "FOOTER", text: "This code expires in 10 minutes.", code_expiration_minutes: 10 },
      { type: "BUTTONS", buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copy code" }] },
    ],
  },
  {
    name: "winter_promo",
    language: "de",
    status: "PAUSED",
    category: "MARKETING",
    components: [{ type: "BODY", text: "Winterangebote für {{1}}!" }],
  },
  {
    name: "legacy_notice",
    language: "de",
    status: "DISABLED",
    category: "UTILITY",
    components: [{ type: "BODY", text: "Hinweis: {{1}}" }],
  },
  {
    name: "new_feature",
    language: "en",
    status: "PENDING",
    category: "MARKETING",
    components: [{ type: "BODY", text: "Something new for {{1}}" }],
  },
  // A map header (the pin is given at send time) and a body whose amount and date go as currency and date_time.
  {
    name: "pickup_ready",
    language: "de",
    status: "APPROVED",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "LOCATION" },
      {
        type: "BODY",
        text: "Hallo {{1}}, Ihre Bestellung über {{2}} liegt ab {{3}} hier zur Abholung bereit.",
        example: { body_text: [["Erika", "12,50 €", "3. Dezember 2026"]] },
      },
      { type: "FOOTER", text: "Bitte bringen Sie Ihren Ausweis mit." },
      { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Ich komme" }] },
    ],
  },
  {
    name: "pickup_ready",
    language: "en",
    status: "APPROVED",
    category: "UTILITY",
    components: [
      { type: "HEADER", format: "LOCATION" },
      {
        type: "BODY",
        text: "Hi {{1}}, your order of {{2}} is ready for pickup here from {{3}}.",
        example: { body_text: [["Erika", "€12.50", "December 3, 2026"]] },
      },
      { type: "FOOTER", text: "Please bring your ID." },
      { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "On my way" }] },
    ],
  },
];

export function seedTemplates(): MessageTemplate[] {
  return RAW_TEMPLATES.map((t, i) => MessageTemplateSchema.parse({ ...t, id: String(900000000000000 + i + 1) }));
}

/** Number of `{{n}}`/`{{name}}` placeholders in a text. */
export function countPlaceholders(text: string | undefined): number {
  return new Set(text?.match(/\{\{\s*[\w]+\s*\}\}/g) ?? []).size;
}
