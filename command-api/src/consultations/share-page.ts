import type { Consultation, QuestionResult } from '@palabre/domain';

export type PageLanguage = 'fr' | 'en';

/** What the page says around the consultation's own texts. */
const words = {
  fr: {
    status: { open: 'Vote ouvert', closed: 'Vote clos', cancelled: 'Consultation annulée', published: 'Résultats publiés', draft: '', none: '' },
    schedule: 'Vote du {opens} au {closes}',
    scope: 'Pour les habitants de : {scope}',
    wholeCommune: 'toute la commune de {commune}',
    level: { device: 'Tout habitant avec l’application', phone: 'Habitants au numéro de téléphone vérifié', in_person: 'Habitants vérifiés en personne par la commune' },
    adults: '18 ans et plus',
    vote: 'Voter dans l’application Palabre',
    voteHint: 'Le lien ouvre l’application si elle est installée, sinon sa version web : rien à télécharger.',
    results: 'Résultats',
    turnout: '{n} votant(s)',
    notYet: 'Les résultats seront publiés à la clôture.',
    funded: 'financé',
    upTo: 'jusqu’à {n} choix',
    scale: 'Note de 1 à 5',
    text: 'Réponse libre (non comptée)',
    budget: 'Enveloppe : {total} FCFA',
    recount: 'Chacun peut recompter le résultat publié à partir de l’export signé, hors ligne.',
    other: 'English',
    notFound: 'Cette consultation n’existe pas, ou n’est pas encore publique.',
  },
  en: {
    status: { open: 'Voting open', closed: 'Voting closed', cancelled: 'Consultation cancelled', published: 'Results published', draft: '', none: '' },
    schedule: 'Voting from {opens} to {closes}',
    scope: 'For residents of: {scope}',
    wholeCommune: 'the whole commune of {commune}',
    level: { device: 'Any resident with the app', phone: 'Residents with a verified phone number', in_person: 'Residents verified in person by the commune' },
    adults: '18 and over',
    vote: 'Vote in the Palabre app',
    voteHint: 'The link opens the app if it is installed, otherwise its web version: nothing to download.',
    results: 'Results',
    turnout: '{n} voter(s)',
    notYet: 'Results will be published at the close.',
    funded: 'funded',
    upTo: 'up to {n} choices',
    scale: 'Score from 1 to 5',
    text: 'Free answer (not counted)',
    budget: 'Total: {total} FCFA',
    recount: 'Anyone can recount the published result from the signed export, offline.',
    other: 'Français',
    notFound: 'This consultation does not exist, or is not public yet.',
  },
} as const;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));

/** The language a shared link opens in: `?lang=`, else the browser's first choice of the two, else French. */
export function pageLanguage(query: unknown, acceptLanguage: string | undefined): PageLanguage {
  if (query === 'fr' || query === 'en') return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'fr' || tag === 'en') return tag;
  }
  return 'fr';
}

export interface SharePageInput {
  readonly id: string;
  readonly consultation: Consultation;
  readonly communeName: string;
  readonly quartierNames: ReadonlyMap<string, string>;
  /** The published figures (`turnout`, `questions`) when residents may see them; null otherwise. */
  readonly results: { turnout: number; questions: readonly QuestionResult[] } | null;
  readonly timeZone: string;
}

const page = (language: PageLanguage, title: string, description: string, body: string, otherHref: string) => `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — Palabre</title>
<meta name="description" content="${escape(description)}">
<meta property="og:title" content="${escape(title)}">
<meta property="og:description" content="${escape(description)}">
<meta property="og:site_name" content="Palabre">
<style>
body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#f5f6f8}
main{max-width:640px;margin:0 auto;padding:16px;background:#fff;min-height:100vh}
h1{font-size:1.35em;margin:.4em 0}h2{font-size:1.1em;margin:1.2em 0 .4em}
.chip{display:inline-block;padding:2px 10px;border-radius:12px;background:#dcf3e5;color:#0d5b2f;font-size:.85em}
.muted{color:#5d6b7a}.vote{display:block;text-align:center;background:#0b6e4f;color:#fff;padding:14px;border-radius:8px;text-decoration:none;font-weight:600;margin:18px 0 6px}
ul{padding-left:1.2em}table{border-collapse:collapse;width:100%}td{padding:3px 4px;border-bottom:1px solid #e3e7ec}td.n{text-align:right;font-weight:600}
.lang{float:right}
</style></head>
<body><main><a class="lang" href="${otherHref}" hreflang="${language === 'fr' ? 'en' : 'fr'}">${words[language].other}</a>
${body}</main></body></html>`;

/**
 * A consultation's public page, for a link shared by SMS or WhatsApp: plain HTML that any browser
 * shows (no script), in French or English, with the button that opens it in the app.
 */
export function renderSharePage(input: SharePageInput, language: PageLanguage): string {
  const w = words[language];
  const content = input.consultation.content!;
  const dateTime = new Intl.DateTimeFormat(language === 'fr' ? 'fr-CM' : 'en-CM', { dateStyle: 'long', timeStyle: 'short', timeZone: input.timeZone });
  const money = new Intl.NumberFormat(language === 'fr' ? 'fr-CM' : 'en-CM');
  const title = content.title[language];
  const description = content.description?.[language] ?? '';
  const scope = content.quartierIds ? content.quartierIds.map((q) => input.quartierNames.get(q) ?? q).join(', ') : fill(w.wholeCommune, { commune: input.communeName });
  const status = input.consultation.status as keyof typeof w.status;
  const parts: string[] = [
    `<p><span class="chip">${escape(w.status[status] ?? '')}</span></p>`,
    `<h1>${escape(title)}</h1>`,
    description ? `<p>${escape(description)}</p>` : '',
    `<p class="muted">${escape(fill(w.schedule, { opens: dateTime.format(new Date(content.opensAt)), closes: dateTime.format(new Date(content.closesAt)) }))}<br>`,
    `${escape(fill(w.scope, { scope }))}<br>${escape(w.level[content.requiredLevel])}${content.adultsOnly ? ` · ${escape(w.adults)}` : ''}</p>`,
  ];
  if (input.consultation.status === 'open') {
    parts.push(`<a class="vote" href="/app/consultations/${encodeURIComponent(input.id)}">${escape(w.vote)}</a><p class="muted">${escape(w.voteHint)}</p>`);
  }
  const resultOf = (questionId: string) => input.results?.questions.find((r) => r.questionId === questionId);
  for (const question of content.questions) {
    parts.push(`<h2>${escape(question.text[language])}</h2>`);
    const result = resultOf(question.id);
    if (question.kind === 'scale') parts.push(`<p class="muted">${escape(w.scale)}${result && result.kind === 'scale' && result.average !== null ? ` — ${result.average.toFixed(2)} / 5` : ''}</p>`);
    else if (question.kind === 'text') parts.push(`<p class="muted">${escape(w.text)}</p>`);
    else {
      if (question.kind === 'multiple') parts.push(`<p class="muted">${escape(fill(w.upTo, { n: question.maxChoices }))}</p>`);
      if (question.kind === 'budget') parts.push(`<p class="muted">${escape(fill(w.budget, { total: money.format(question.budget) }))}</p>`);
      const votes = result && 'options' in result ? new Map(result.options.map((o) => [o.optionId, o.votes])) : null;
      const winners = result && result.kind === 'budget' ? new Set(result.winners) : null;
      const rows = question.options.map((o) => {
        const cost = o.cost !== undefined && question.kind === 'budget' ? ` — ${money.format(o.cost)} FCFA` : '';
        const funded = winners?.has(o.id) ? ` <strong>(${escape(w.funded)})</strong>` : '';
        return `<tr><td>${escape(o.label[language])}${cost}${funded}</td>${votes ? `<td class="n">${votes.get(o.id) ?? 0}</td>` : ''}</tr>`;
      });
      parts.push(`<table>${rows.join('')}</table>`);
    }
  }
  if (input.results) parts.push(`<h2>${escape(w.results)}</h2><p>${escape(fill(w.turnout, { n: input.results.turnout }))}</p><p class="muted">${escape(w.recount)}</p>`);
  else if (input.consultation.status === 'open') parts.push(`<p class="muted">${escape(w.notYet)}</p>`);
  return page(language, title, description || scope, parts.join('\n'), `?lang=${language === 'fr' ? 'en' : 'fr'}`);
}

/** The page for a link that leads nowhere (unknown, or still a draft). */
export function renderNotFoundPage(language: PageLanguage): string {
  return page(language, 'Palabre', words[language].notFound, `<h1>${escape(words[language].notFound)}</h1><p><a href="/app/consultations">Palabre</a></p>`, `?lang=${language === 'fr' ? 'en' : 'fr'}`);
}
