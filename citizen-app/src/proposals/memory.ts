import type { ProposalView, ProposalViewer } from '../api/types.ts';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

interface Stored {
  /** Proposals this phone wrote (sent from its outbox). */
  authored: string[];
  /** Proposals this phone supports, as its own last action says. */
  supporting: string[];
  flagged: string[];
  /** Each proposal seen, with when its latest answer was given (null before one): a later one is news. */
  answers: Record<string, string | null>;
}

const storageKey = 'palabre.proposals';
const answersKept = 300;

/**
 * What this phone knows of its part in proposals, for a server that does not say it (`viewer`), and
 * the answer it last saw of each, to tell the person when the commune answers. Kept in local storage.
 */
export class ProposalMemory {
  private stored: Stored;
  private readonly storage: KeyValueStorage;

  constructor(storage: KeyValueStorage) {
    this.storage = storage;
    this.stored = { authored: [], supporting: [], flagged: [], answers: {} };
    try {
      this.stored = { ...this.stored, ...(JSON.parse(storage.getItem(storageKey) ?? '{}') as Partial<Stored>) };
    } catch {
      // A damaged copy: the API's viewer still says most of it.
    }
  }

  /** The proposals whose news the person wants even off their page: their own, and those they support. */
  followed(): string[] {
    return [...new Set([...this.stored.authored, ...this.stored.supporting])];
  }

  /** The server's `viewer` when it says it, else what this phone did. */
  viewerOf(view: Pick<ProposalView, 'id' | 'viewer'>): ProposalViewer {
    if (view.viewer) return view.viewer;
    return { author: this.stored.authored.includes(view.id), supporting: this.stored.supporting.includes(view.id), flagged: this.stored.flagged.includes(view.id) };
  }

  wrote(id: string): void {
    this.change((s) => ({ ...s, authored: add(s.authored, id) }));
  }

  setSupporting(id: string, supporting: boolean): void {
    this.change((s) => ({ ...s, supporting: supporting ? add(s.supporting, id) : s.supporting.filter((p) => p !== id) }));
  }

  flagged(id: string): void {
    this.change((s) => ({ ...s, flagged: add(s.flagged, id) }));
  }

  /** Records the answer a view carries; true when it is a newer answer than the one last seen of that proposal. */
  answerNews(view: Pick<ProposalView, 'id' | 'answer'>): boolean {
    const answeredAt = view.answer?.answeredAt ?? null;
    const answers = this.stored.answers;
    const known = view.id in answers ? answers[view.id]! : undefined;
    // The same answer, or a late read older than what was seen: nothing new, and nothing forgotten.
    if (known !== undefined && (answeredAt === known || (known !== null && (answeredAt === null || answeredAt < known)))) return false;
    const news = known !== undefined && answeredAt !== null;
    // Newest last, so the oldest are the ones dropped.
    const { [view.id]: _previous, ...others } = answers;
    const kept = Object.entries({ ...others, [view.id]: answeredAt }).slice(-answersKept);
    this.change((s) => ({ ...s, answers: Object.fromEntries(kept) }));
    return news;
  }

  private change(update: (stored: Stored) => Stored): void {
    this.stored = update(this.stored);
    try {
      this.storage.setItem(storageKey, JSON.stringify(this.stored));
    } catch {
      // Storage full: only this phone's memory of it is lost, the API keeps the truth.
    }
  }
}

const add = (ids: readonly string[], id: string): string[] => (ids.includes(id) ? [...ids] : [...ids, id].slice(-500));
