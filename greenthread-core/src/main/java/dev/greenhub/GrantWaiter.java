package dev.greenhub;

import java.util.Deque;

/**
 * A waiter that its owner hands one unit (a semaphore's unit, a pool's slot): {@link #granted} is
 * set under the owner's lock before the waiter is completed.
 */
class GrantWaiter extends Waiter {
    boolean granted;

    /**
     * The cleanup of a wait that ends without having taken its unit (a kill, or a timeout): under
     * {@code lock}, withdraws {@code w} from {@code queue}, unless a unit was handed to it
     * meanwhile; such a unit is given back with {@code giveBack}, outside the lock.
     */
    static <W extends GrantWaiter> void withdraw(Object lock, Deque<W> queue, W w, Runnable giveBack) {
        boolean passOn;
        synchronized (lock) {
            passOn = w.granted;
            if (!passOn) {
                queue.remove(w);
            }
        }
        if (passOn) {
            giveBack.run();
        }
    }
}
