"""Reading state shared between machines through a folder that a sync tool keeps in step.

No server and no lock: each machine appends its own changes to its own files
in the folder (:mod:`reader.sync.folder`) and merges everyone else's into its
state file (:mod:`reader.sync.ledger`), the later change winning per article
and mark under a hybrid logical clock (:mod:`reader.sync.clock`). No Textual here.
"""
