package dev.quokka.command.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A Lua table that can be made read-only, as Redis's patched Lua marks the globals, the
 * libraries and their metatables ({@code lua_enablereadonlytable}): every change, {@code rawset}
 * included, fails with Redis's text.
 */
final class ProtectedTable extends LuaTable {
    static final String READONLY = "Attempt to modify a readonly table";

    boolean readonly;

    @Override
    public void rawset(int key, LuaValue value) {
        check(readonly);
        super.rawset(key, value);
    }

    @Override
    public void rawset(LuaValue key, LuaValue value) {
        check(readonly);
        super.rawset(key, value);
    }

    @Override
    public LuaValue setmetatable(LuaValue metatable) {
        if (readonly) {
            throw new LuaError(READONLY, 0); // raised by setmetatable, a C function in Redis's Lua: no position
        }
        return super.setmetatable(metatable);
    }

    @Override
    public LuaValue remove(int pos) {
        check(readonly);
        return super.remove(pos);
    }

    @Override
    public void insert(int pos, LuaValue value) {
        check(readonly);
        super.insert(pos, value);
    }

    @Override
    public void sort(LuaValue comparator) {
        check(readonly);
        super.sort(comparator);
    }

    static void check(boolean readonly) {
        if (readonly) {
            throw new LuaError(READONLY);
        }
    }

    /** The globals table of a sandbox, protected the same way. */
    static final class Sandbox extends Globals {
        boolean readonly;

        @Override
        public void rawset(int key, LuaValue value) {
            check(readonly);
            super.rawset(key, value);
        }

        @Override
        public void rawset(LuaValue key, LuaValue value) {
            check(readonly);
            super.rawset(key, value);
        }

        @Override
        public LuaValue setmetatable(LuaValue metatable) {
            if (readonly) {
                throw new LuaError(READONLY, 0);
            }
            return super.setmetatable(metatable);
        }

        /** Sets a global while protection is on (KEYS and ARGV before each EVAL). */
        void force(LuaValue key, LuaValue value) {
            super.rawset(key, value);
        }
    }
}
