/** Text shown to people, in both official languages of Cameroon. */
export interface Labels {
  readonly fr: string;
  readonly en: string;
}
