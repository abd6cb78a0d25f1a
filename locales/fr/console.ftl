# The staff console (/admin).

console-nav = Console
console-nav-queue = File d'attente
console-nav-articles = Articles
console-nav-selection = Sélection
console-nav-rules = Règles et modes
console-nav-domains = Domaines
console-nav-reports = Signalements
console-nav-audit = Journal
console-nav-blocklists = Listes de blocage
console-sign-out = Se déconnecter
role-editor = éditeur
role-moderator = modérateur
role-admin = administrateur
