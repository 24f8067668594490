package io.rowseal.hibernate;

import org.hibernate.event.spi.PostInsertEvent;
import org.hibernate.event.spi.PostInsertEventListener;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.event.spi.PreInsertEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;

/**
 * Brackets each entity row write with a {@link RowWrites} scope. It never changes the entity state, so
 * dirty checking, the second-level cache and the persistence context all keep seeing plaintext values.
 * Stateless; registered last so that a listener that vetoes runs first.
 */
final class RowWriteListener implements PreInsertEventListener, PostInsertEventListener,
    PreUpdateEventListener, PostUpdateEventListener {

  static final RowWriteListener INSTANCE = new RowWriteListener();

  private RowWriteListener() {}

  @Override
  public boolean onPreInsert(PreInsertEvent event) {
    RowWrites.begin(event.getSession());
    return false;
  }

  @Override
  public void onPostInsert(PostInsertEvent event) {
    RowWrites.end(event.getSession());
  }

  @Override
  public boolean onPreUpdate(PreUpdateEvent event) {
    RowWrites.begin(event.getSession());
    return false;
  }

  @Override
  public void onPostUpdate(PostUpdateEvent event) {
    RowWrites.end(event.getSession());
  }
}
