// The dependencies one render used and the ones it lacked data for, named as consul-template
// names them (`nomad.service(redis-svc)`, `nomad.var.block(nomad/jobs/x@default.global)`), in
// first-use order. The caller holds the first render while `missing` is not empty.

export class DependencyTracker {
  private readonly usedSet = new Set<string>();
  private readonly missingSet = new Set<string>();

  use(dep: string): void {
    this.usedSet.add(dep);
  }

  miss(dep: string): void {
    this.usedSet.add(dep);
    this.missingSet.add(dep);
  }

  get used(): string[] {
    return [...this.usedSet];
  }

  get missing(): string[] {
    return [...this.missingSet];
  }

  reset(): void {
    this.usedSet.clear();
    this.missingSet.clear();
  }
}
