import type { Reference } from '../app/services.js';
import type { I18n } from '../i18n/i18n.js';

/** Turns ids in a ticket into words in the current language. */
export interface Names {
  readonly category: (id: string | null) => string;
  readonly subcategory: (category: string | null, id: string | null) => string;
  readonly quartier: (id: string | null) => string;
  readonly team: (id: string | null) => string;
  readonly agent: (id: string | null) => string;
  readonly commune: (id: string | null) => string;
}

export function namesFor(reference: Reference, i18n: I18n): Names {
  const categories = new Map(reference.categories.map((c) => [c.id, c]));
  const quartiers = new Map(reference.communes.flatMap((c) => c.quartiers.map((q) => [q.id, q.name] as const)));
  const communes = new Map(reference.communes.map((c) => [c.id, c.name]));
  const teams = new Map(reference.teams.map((t) => [t.id, t.name]));
  const agents = new Map(reference.agents.map((a) => [a.id, a.username]));
  const none = i18n.t('app.none');
  return {
    category: (id) => (id ? i18n.label(categories.get(id)?.labels, id) : none),
    subcategory: (category, id) => {
      if (!id) return none;
      const sub = categories.get(category ?? '')?.subcategories.find((s) => s.id === id);
      return i18n.label(sub?.labels, id);
    },
    quartier: (id) => (id ? (quartiers.get(id) ?? id) : i18n.t('grid.outsideCommune')),
    team: (id) => (id ? (teams.get(id) ?? id) : none),
    agent: (id) => (id ? (agents.get(id) ?? id) : none),
    commune: (id) => (id ? (communes.get(id) ?? id) : none),
  };
}
