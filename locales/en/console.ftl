# The staff console (/admin).

console-nav = Console
console-nav-queue = Queue
console-nav-articles = Articles
console-nav-selection = Selection
console-nav-rules = Rules and modes
console-nav-domains = Domains
console-nav-reports = Reports
console-nav-audit = Log
console-nav-blocklists = Blocklists
console-sign-out = Sign out
role-editor = editor
role-moderator = moderator
role-admin = admin
