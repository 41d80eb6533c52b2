# urna's periodic jobs for hosts without systemd. Where systemd runs, the
# timers urna-sync.timer and urna-tally.timer do this and these lines do
# nothing. Both programs take a lock in state_dir (overlapping runs are
# harmless) and print only when something fails (--quiet); cron mails it.
SHELL=/bin/sh
PATH=/usr/bin:/bin
MAILTO=root

# Pull, validate and store the metadata repository every 5 minutes.
*/5 * * * *   urna   [ -d /run/systemd/system ] || urna-sync --config /etc/urna/urna.conf --quiet

# Tally elections whose voting has closed (idempotent).
2-59/10 * * * *  urna   [ -d /run/systemd/system ] || urna-tally --config /etc/urna/urna.conf --quiet
